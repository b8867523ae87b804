// The text report's "ran" line of a merged run: the merged run spans from the first shard's start
// to the last one's end, so a shard started late made that span minus the duration, which the line
// called the wind-down, count the start gap too ("then 1.65 s for those still open to finish"
// where each shard's own wind-down was 0.35-0.55 s). The wind-down is the shards' own (the
// longest), and a start gap is said apart.
import { describe, expect, it } from 'vitest';
import { mergeResults, type ShardInput } from '../../src/client/merge/mergeResults.js';
import { renderReport } from '../../src/client/cli/report.js';
import type { FloodResult } from '../../src/client/verdict/result.js';
import { syntheticResult } from '../helpers/reportFixture.js';

const T = 1_800_000_000_000;

/**
 * Shard i/3 of a 2 s run (or, with `total`, a run of that many connections) started at `startMs`
 * and ending `elapsedMs` after it.
 */
function shard(i: number, startMs: number, elapsedMs: number, o: { openLoop?: boolean; total?: number } = {}): ShardInput {
  const r = syntheticResult({ samples: 2, openLoop: o.openLoop }) as unknown as FloodResult;
  const samples = r.samples.map((s, k) => (k === r.samples.length - 1 ? { ...s, elapsedMs, intervalMs: elapsedMs - 1000 } : s)).map((s) => ({ ...s, time: startMs + s.elapsedMs }));
  const total = o.total ?? null;
  const durationMs = total === null ? 2000 : 0;
  const plan = { connections: 40, total, stages: [], rate: 0, msgRate: r.options.msgRate, msgStages: [] };
  return {
    file: `shard${i}.json`,
    result: { ...r, options: { ...r.options, total, durationMs }, elapsedMs, samples, shard: { index: i, count: 3, plan } } as unknown as FloodResult,
  };
}

/** The report's "ran" line, its wrapped lines joined. */
function ranLine(r: FloodResult): string {
  const lines = renderReport(r, { header: false }).split('\n');
  return lines.slice(0, lines.indexOf('')).map((l) => l.trim()).join(' ');
}

describe('the ran line of a merged run', () => {
  it('one shard started 1.3 s late: the wind-down is the shards\' own, the start gap said apart', () => {
    const m = mergeResults([shard(1, T, 2450), shard(2, T + 1300, 2350), shard(3, T + 20, 2550)]);
    expect(m.elapsedMs).toBe(3650);
    expect(ranLine(m)).toBe('ran 3.65 s: new connections for 2s, then up to 0.55 s for those still open to finish; the shards started up to 1.30 s apart');
  });

  it('shards started together: only the wind-down, the longest shard\'s own', () => {
    const m = mergeResults([shard(1, T, 2450), shard(2, T + 6, 2350), shard(3, T + 12, 2550)]);
    expect(m.elapsedMs).toBe(2562);
    expect(ranLine(m)).toBe('ran 2.56 s: new connections for 2s, then up to 0.55 s for those still open to finish');
  });

  it('an open loop: its schedule, then the shards\' own wind-down; the start gap apart', () => {
    const m = mergeResults([shard(1, T, 2150, { openLoop: true }), shard(2, T + 400, 2120, { openLoop: true }), shard(3, T, 2030, { openLoop: true })]);
    expect(ranLine(m)).toBe('ran 2.52 s: its schedule for 2s, then up to 0.15 s for what it had due and those still open to finish; the shards started up to 0.40 s apart');
  });

  it('a run by count has no wind-down to explain, but a start gap still shows', () => {
    const m = mergeResults([shard(1, T, 1800, { total: 300 }), shard(2, T + 700, 1900, { total: 300 }), shard(3, T, 1700, { total: 300 })]);
    expect(ranLine(m)).toBe('ran 2.60 s: the shards started up to 0.70 s apart');
  });

  it('no wind-down and no gap to speak of: nothing after the time', () => {
    const m = mergeResults([shard(1, T, 2040), shard(2, T + 30, 2060), shard(3, T + 10, 2020)]);
    expect(ranLine(m)).toBe('ran 2.09 s');
  });

  it('a run that is not a merge says its own tail, as before', () => {
    const r = shard(1, T, 2450).result;
    expect(ranLine({ ...r, shard: null })).toBe('ran 2.45 s: new connections for 2s, then 0.45 s for those still open to finish');
  });
});
