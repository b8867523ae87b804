// `merge` lines the shards' interval samples up on the merged run's intervals by where each ends:
// a shard's shorter last sample (its wind-down) goes to the interval after its last full one,
// never into the same merged interval as another sample of its own. The merged intervals then
// add each shard's counts once, `connections.active` adds each shard's latest, and the last
// merged interval is as long as the longest wind-down, its rates per second of that.
import { describe, expect, it } from 'vitest';
import { encodeHistogram, newHistogram } from '../../src/client/run/floodCounters.js';
import { alignSamples } from '../../src/client/merge/mergeResults.js';
import type { IntervalHistograms, IntervalSample } from '../../src/client/verdict/samples.js';
import { syntheticResult } from '../helpers/reportFixture.js';

const INTERVAL_MS = 500;
// On a whole interval of the epoch, as a --start-at often is.
const T = 1_800_000_000_000;
const base = syntheticResult({ samples: 1 }).samples[0]!;

/** A shard's sample: `verified` round trips of 1 ms, and `active` connections at its end. */
function sample(startMs: number, elapsedMs: number, intervalMs: number, verified: number, active: number): IntervalSample {
  return {
    ...base,
    time: startMs + elapsedMs,
    elapsedMs,
    intervalMs,
    connections: { ...base.connections, opened: verified, active },
    messages: { sent: verified, verified, perSec: Math.round((verified * 1000) / Math.max(intervalMs, 1)) },
    bytes: { sent: verified, received: verified, sentPerSec: 0, receivedPerSec: 0 },
    roundTripUs: { count: verified, p50: 1000, p90: 1000, p99: 1000, max: 1000 },
    server: null,
  };
}

const histogramOf = (s: IntervalSample): IntervalHistograms => {
  const h = newHistogram();
  h.recordValueWithCount(1000, s.messages.verified);
  return { roundTrip: encodeHistogram(h), serviceTime: null };
};

/** A 3 s run of one shard started at `startMs`: six full samples of 100 round trips, then a last one of `lastMs`. */
function shard(startMs: number, lastMs: number, lastCount: number): IntervalSample[] {
  const full = [1, 2, 3, 4, 5, 6].map((b) => sample(startMs, b * INTERVAL_MS, INTERVAL_MS, 100, 10));
  return [...full, sample(startMs, 3000 + lastMs, lastMs, lastCount, 0)];
}

describe('merge: a shard\'s last, shorter sample', () => {
  const shards = [shard(T, 60, 12), shard(T + 7, 100, 20), shard(T + 12, 40, 8)];

  for (const withHistograms of [true, false])
    it(`goes to the interval after its last full one, not into it (${withHistograms ? 'interval histograms' : 'summaries only'})`, () => {
      const m = alignSamples(shards, shards.map((list) => (withHistograms ? list.map(histogramOf) : null)), INTERVAL_MS, T);
      const row = (s: IntervalSample) => [s.elapsedMs, s.intervalMs, s.messages.verified, s.messages.perSec, s.connections.active, s.roundTripUs.count];
      // [elapsedMs, intervalMs, verified, verified/s, active, round trips]
      expect(m.samples.map(row)).toEqual([
        [512, 500, 300, 600, 30, 300],
        [1012, 500, 300, 600, 30, 300],
        [1512, 500, 300, 600, 30, 300],
        [2012, 500, 300, 600, 30, 300],
        [2512, 500, 300, 600, 30, 300],
        [3012, 500, 300, 600, 30, 300],
        // Each shard's wind-down once: as long as the longest (100 ms), 40 round trips in it.
        [3107, 100, 40, 400, 0, 40],
      ]);
      if (withHistograms) expect(m.intervalHistograms).toHaveLength(m.samples.length);
      const total = (list: IntervalSample[]) => list.reduce((a, s) => a + s.messages.verified, 0);
      expect(total(m.samples)).toBe(shards.reduce((a, list) => a + total(list), 0));
    });

  it('of 0 ms, ending on a boundary, adds to the one before it: counts once, the gauges its own', () => {
    const ends = [...shard(T, 0, 0).slice(0, 6), { ...sample(T, 3000, 0, 3, 0), connections: { ...base.connections, opened: 3, ok: 4, active: 0 } }];
    const m = alignSamples([ends, shard(T + 5, 30, 6)], [null, null], INTERVAL_MS, T);
    const last = m.samples.slice(-2);
    expect(last.map((s) => [s.elapsedMs, s.intervalMs, s.messages.verified, s.connections.active])).toEqual([
      [3005, 500, 203, 10],
      [3035, 30, 6, 0],
    ]);
    expect(last[0]!.connections.ok).toBe(base.connections.ok + 4 + base.connections.ok);
  });
});
