// Shards merge as one flood only if they ran together. A shard that started after another had
// ended (one run again later, no shared --start-at) is a problem that fails the merge; and the
// merged samples count their elapsedMs from the merged run's start, so they run forwards in time
// (each shard's own clock made them go backwards: 1164 then 919 ms).
import { describe, expect, it } from 'vitest';
import { mergeResults, runStart, setProblems, type ShardInput } from '../../src/client/merge/mergeResults.js';
import type { FloodResult } from '../../src/client/verdict/result.js';
import { syntheticResult } from '../helpers/reportFixture.js';

/** Shard i/3 of a 3 s run whose first sample is at `startMs` + 1 s. */
function shard(i: number, startMs: number): ShardInput {
  const r = syntheticResult({ samples: 3 }) as unknown as FloodResult;
  const samples = r.samples.map((s) => ({ ...s, time: startMs + s.elapsedMs }));
  const plan = { connections: 40, total: null, stages: [], rate: 0, msgRate: 0, msgStages: [] };
  return { file: `shard${i}.json`, result: { ...r, samples, shard: { index: i, count: 3, plan } } as unknown as FloodResult };
}

const T = 1_800_000_000_000;

describe('merging shards that did not run together', () => {
  it('shards started together: no problem; the merged run lasts as long as they did', () => {
    const set = [shard(1, T), shard(2, T + 40), shard(3, T + 15)];
    expect(setProblems(set)).toEqual([]);
    const m = mergeResults(set);
    expect(m.elapsedMs).toBe(3040);
    expect(m.samples.map((s) => s.elapsedMs)).toEqual([1040, 2040, 3040]);
  });

  it('a shard started after another had ended: a problem naming it; samples still run forwards', () => {
    const set = [shard(1, T), shard(2, T + 28_000), shard(3, T + 20)];
    expect(setProblems(set)).toEqual([
      'shard2.json started 28.0 s after shard1.json, which had ended by then: the shards did not run together (give them one --start-at)',
    ]);
    const m = mergeResults(set);
    const elapsed = m.samples.map((s) => s.elapsedMs);
    expect(elapsed).toEqual([...elapsed].sort((a, b) => a - b));
    expect(elapsed.at(-1)).toBe(31_000);
    expect(m.elapsedMs).toBe(31_000);
  });

  it('a run starts at its first sample less its elapsedMs (the samples\' clock), or else at its --start-at plus how late it was', () => {
    const r = shard(1, T).result;
    const startAt = { at: new Date(T + 500).toISOString(), offsetMs: 7 };
    expect(runStart(r)).toBe(T);
    expect(runStart({ ...r, startAt })).toBe(T);
    expect(runStart({ ...r, samples: [], startAt })).toBe(T + 507);
    expect(runStart({ ...r, samples: [] })).toBeNull();
  });
});
