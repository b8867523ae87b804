// A merged interval is one interval long, its rates per second of that, whatever the length of
// its shards' parts: a shard's last sample a few ms past the boundary (an open loop's whole last
// interval and its wind-down, in which nothing more is sent) does not stretch the interval and
// dilute every other shard's rate with it (300 messages in 514 ms read 584/s for a steady
// 600/s), and a folded sample's second interval of counts is not spread over a doubled interval
// that the other shards' counts never filled. Only an interval of wind-downs, all shorter, is as
// long as the longest of them. So the rates times the lengths add up to the counts.
import { describe, expect, it } from 'vitest';
import { alignSamples } from '../../src/client/merge/mergeResults.js';
import type { IntervalSample } from '../../src/client/verdict/samples.js';
import { syntheticResult } from '../helpers/reportFixture.js';

const INTERVAL_MS = 500;
const T = 1_800_000_000_000;
const base = syntheticResult({ samples: 1 }).samples[0]!;

function sample(elapsedMs: number, intervalMs: number, verified: number): IntervalSample {
  return {
    ...base,
    time: T + elapsedMs,
    elapsedMs,
    intervalMs,
    connections: { ...base.connections, opened: 0, ok: 0, active: 4 },
    messages: { sent: verified, verified, perSec: Math.round((verified * 1000) / Math.max(intervalMs, 1)) },
    bytes: { sent: verified * 100, received: verified * 100, sentPerSec: 0, receivedPerSec: 0 },
    roundTripUs: { count: verified, p50: 1000, p90: 1000, p99: 1000, max: 1000 },
    serviceTimeUs: null,
    server: null,
  };
}

const full = (n: number, verified: number) => Array.from({ length: n }, (_, i) => sample((i + 1) * INTERVAL_MS, INTERVAL_MS, verified));
/** [intervalMs, verified, verified/s, received bytes/s] of each merged sample. */
const rates = (list: IntervalSample[]) => list.map((s) => [s.intervalMs, s.messages.verified, s.messages.perSec, s.bytes.receivedPerSec]);

describe('merge: the length and rates of a merged interval', () => {
  it('shards whose last samples run a few ms past the deadline: the deadline\'s interval is one interval long', () => {
    const m = alignSamples(
      [[...full(4, 100), sample(2078, 78, 2)], [...full(3, 100), sample(2004, 504, 99)], [...full(3, 100), sample(2014, 514, 100)]],
      [null, null, null],
      INTERVAL_MS,
      T,
    );
    expect(rates(m.samples)).toEqual([
      [500, 300, 600, 60_000],
      [500, 300, 600, 60_000],
      [500, 300, 600, 60_000],
      [500, 299, 598, 59_800],
      // The wind-down, shard 1's alone: as long as it.
      [78, 2, 26, 2_564],
    ]);
  });

  it('a shard\'s sample folded over two intervals: each merged interval one interval long, the rates adding up to the counts', () => {
    const m = alignSamples([full(4, 100), [...full(2, 100), sample(2000, 1000, 200)], full(4, 100)], [null, null, null], INTERVAL_MS, T);
    expect(rates(m.samples)).toEqual([
      [500, 300, 600, 60_000],
      [500, 300, 600, 60_000],
      // Shard 2's part of it is in the next one (as a thread's boundary taken late in one flood).
      [500, 200, 400, 40_000],
      [500, 400, 800, 80_000],
    ]);
    const counted = m.samples.reduce((a, s) => a + (s.messages.perSec * s.intervalMs) / 1000, 0);
    expect(counted).toBe(1200);
  });
});
