// `merge` files each shard's sample under the merged interval it covers most. An open loop's
// schedule ends just before a --duration deadline, so a shard's run often ends a few ms past the
// deadline before any of its client threads took the deadline's sample: its last sample is then the
// whole last interval and those few ms (2004 ms after 504 ms of a 500 ms interval). Filed by its
// end rounded up, it went to the interval after the deadline: the deadline's interval read a third
// of its messages and the wind-down held messages none of the shards sent after the deadline.
import { describe, expect, it } from 'vitest';
import { alignSamples } from '../../src/client/merge/mergeResults.js';
import type { IntervalSample } from '../../src/client/verdict/samples.js';
import { syntheticResult } from '../helpers/reportFixture.js';

const INTERVAL_MS = 500;
const T = 1_800_000_000_000;
const base = syntheticResult({ samples: 1 }).samples[0]!;

/** A shard's sample ending `elapsedMs` after its start at T: `sent` messages sent and verified, `active` open at its end. */
function sample(elapsedMs: number, intervalMs: number, sent: number, active = 4): IntervalSample {
  return {
    ...base,
    time: T + elapsedMs,
    elapsedMs,
    intervalMs,
    connections: { ...base.connections, opened: 0, ok: 0, active },
    messages: { sent, verified: sent, perSec: Math.round((sent * 1000) / Math.max(intervalMs, 1)) },
    bytes: { sent, received: sent, sentPerSec: 0, receivedPerSec: 0 },
    roundTripUs: { count: sent, p50: 1000, p90: 1000, p99: 1000, max: 1000 },
    serviceTimeUs: null,
    server: null,
  };
}

/** Full samples of `sent` messages at boundaries 1..n. */
const full = (n: number, sent: number) => Array.from({ length: n }, (_, i) => sample((i + 1) * INTERVAL_MS, INTERVAL_MS, sent));

describe('merge: the interval a shard\'s sample is filed under', () => {
  it('a last sample a little longer than one interval goes to the interval it nearly fills, not to the wind-down', () => {
    // The repro: shard 1 took the 2000 ms boundary and wound down for 78 ms (nothing sent); shards
    // 2 and 3 ended 4 and 14 ms past it without a sample at it.
    const shards = [
      [...full(4, 100), sample(2078, 78, 0, 0)],
      [...full(3, 100), sample(2004, 504, 99, 0)],
      [...full(3, 100), sample(2014, 514, 100, 0)],
    ];
    const m = alignSamples(shards, [null, null, null], INTERVAL_MS, T);
    // [elapsedMs, sent]
    expect(m.samples.map((s) => [s.elapsedMs, s.messages.sent])).toEqual([
      [500, 300],
      [1000, 300],
      [1500, 300],
      [2014, 299],
      // The wind-down: shard 1's alone, no message in it.
      [2078, 0],
    ]);
  });

  // Beside a reference shard with one message in every interval, a shard whose samples carry
  // 1000 + their position: the merged interval each lands in.
  const cases: { name: string; samples: [number, number][]; intervals: number[] }[] = [
    { name: 'full samples: their own boundaries', samples: [[500, 500], [1000, 500], [1500, 500]], intervals: [1, 2, 3] },
    { name: 'a run shorter than one interval: the first', samples: [[300, 300]], intervals: [1] },
    { name: 'a last sample ending a little before the boundary: that interval', samples: [[500, 500], [1000, 500], [1500, 500], [1998, 498]], intervals: [1, 2, 3, 4] },
    { name: 'a last sample 4 ms past the boundary: the interval it nearly fills', samples: [[500, 500], [1000, 500], [1500, 500], [2004, 504]], intervals: [1, 2, 3, 4] },
    { name: 'a wind-down after the boundary: the interval after', samples: [[500, 500], [1000, 500], [1500, 500], [2000, 500], [2078, 78]], intervals: [1, 2, 3, 4, 5] },
    { name: 'a wind-down of 1 ms: the interval after', samples: [[500, 500], [1000, 500], [1500, 500], [2000, 500], [2001, 1]], intervals: [1, 2, 3, 4, 5] },
    { name: 'a sample folded over two intervals: the last of them', samples: [[500, 500], [1000, 500], [2000, 1000]], intervals: [1, 2, 4] },
    { name: 'a folded last sample 260 ms past the boundary: the interval it covers whole', samples: [[500, 500], [1000, 500], [1500, 500], [2260, 760]], intervals: [1, 2, 3, 4] },
  ];
  for (const c of cases)
    it(c.name, () => {
      const tested = c.samples.map(([elapsedMs, intervalMs], i) => sample(elapsedMs, intervalMs, 1000 + i));
      const m = alignSamples([full(6, 1), tested], [null, null], INTERVAL_MS, T);
      expect(m.samples).toHaveLength(6);
      const landed = tested.map((_, i) => m.samples.findIndex((s) => s.messages.sent - 1 === 1000 + i) + 1);
      expect(landed).toEqual(c.intervals);
    });
});
