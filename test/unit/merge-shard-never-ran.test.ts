// A shard that opened no connection (stopped while it waited for --start-at) never ran: its own
// FAIL says so ("stopped before any connection was opened"). The merge does not also take it for
// a run that ended before the others began ("... which had ended by then: the shards did not run
// together"), which blamed the start time instead of the stop; nor does its stop count as the
// merged run's start, which made the run longer by the wait and shifted every sample.
import { describe, expect, it } from 'vitest';
import { mergeResults, setProblems, type ShardInput } from '../../src/client/merge/mergeResults.js';
import type { FloodResult } from '../../src/client/verdict/result.js';
import { syntheticResult } from '../helpers/reportFixture.js';

const T = 1_800_000_000_000;
const plan = { connections: 40, total: null, stages: [], rate: 0, msgRate: 0, msgStages: [] };

/** Shard i/3 of a 3 s run whose first sample is at `startMs` + 1 s. */
function shard(i: number, startMs: number): ShardInput {
  const r = syntheticResult({ samples: 3 }) as unknown as FloodResult;
  const samples = r.samples.map((s) => ({ ...s, time: startMs + s.elapsedMs }));
  return { file: `shard${i}.json`, result: { ...r, samples, shard: { index: i, count: 3, plan } } as unknown as FloodResult };
}

/** Shard i/3 stopped at `stopMs` while it waited: no connection, one sample of 47 ms. */
function neverRan(i: number, stopMs: number): ShardInput {
  const r = shard(i, stopMs).result;
  const sample = { ...r.samples[0]!, time: stopMs + 47, elapsedMs: 47, intervalMs: 47 };
  const result = { ...r, samples: [sample], elapsedMs: 47, stoppedEarly: 'stop', startAt: null, connections: { ...r.connections, started: 0, connected: 0, ok: 0 } };
  return { file: `shard${i}.json`, result: result as unknown as FloodResult };
}

describe('a shard that never ran', () => {
  it('is not said to have ended before the others started', () => {
    const set = [shard(1, T), neverRan(2, T - 1600), shard(3, T + 20)];
    expect(setProblems(set).filter((p) => p.includes('had ended by then'))).toEqual([]);
  });

  it('its stop is not the merged run\'s start: the run spans the shards that ran', () => {
    const m = mergeResults([shard(1, T), neverRan(2, T - 1600), shard(3, T + 20)]);
    expect(m.elapsedMs).toBe(3020);
    expect(m.samples.map((s) => s.elapsedMs)).toEqual([1020, 2020, 3020]);
    expect(m.merge.shards.map((s) => s.startedAfterMs)).toEqual([0, null, 20]);
  });

  it('shards that ran apart are still told, beside it', () => {
    const set = [shard(1, T), neverRan(2, T - 1600), shard(3, T + 28_000)];
    expect(setProblems(set)).toEqual([
      'shard3.json started 28.0 s after shard1.json, which had ended by then: the shards did not run together (give them one --start-at)',
    ]);
  });
});
