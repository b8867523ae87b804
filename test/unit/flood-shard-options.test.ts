// --shard i/N splits the plan: every connection id runs in exactly one shard, with its own plan,
// and concurrency, totals, rates and stage targets add back up to the unsharded run's.
import { describe, expect, it } from 'vitest';
import { resolveFloodOptions, type FloodOptions } from '../../src/client/options.js';
import { claimer } from '../../src/client/run/threads.js';
import { planConnection } from '../../src/client/run/scenarios.js';
import { parseFloodArgv } from '../helpers/floodArgv.js';

const T = '127.0.0.1:7777';
const resolve = (argv: string[]) => resolveFloodOptions(parseFloodArgv([T, '--seed', '9', ...argv]));

/** Every id shard `o` claims, in order (bounded by its total). */
function ids(o: ReturnType<typeof resolveFloodOptions>): number[] {
  const next = claimer(new SharedArrayBuffer(4), o.total, o.shard);
  const out: number[] = [];
  for (let k = 0; k <= o.total; k++) {
    const id = next();
    if (id < 0) break;
    out.push(id);
  }
  return out;
}

describe('--shard', () => {
  it('reads i/N and --shard-index/--shard-count alike', () => {
    expect(parseFloodArgv([T, '--shard', '2/4']).shard).toEqual({ index: 2, count: 4 });
    expect(parseFloodArgv([T, '--shard-index', '2', '--shard-count', '4']).shard).toEqual({ index: 2, count: 4 });
  });

  it('gives every connection id to exactly one shard, each with the plan it has unsharded', () => {
    const whole = resolve(['-c', '10', '-n', '103']);
    const seen = new Map<number, number>();
    for (let i = 1; i <= 4; i++) {
      const shard = resolve(['-c', '10', '-n', '103', '--shard', `${i}/4`]);
      for (const id of ids(shard)) {
        expect(id % 4).toBe(i - 1);
        seen.set(id, (seen.get(id) ?? 0) + 1);
        expect(planConnection(id, shard)).toEqual(planConnection(id, whole));
      }
    }
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 103 }, (_, j) => j));
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });

  it('splits concurrency, rates and stage targets so that the shards add up to the whole', () => {
    const argv = ['--rate', '1000', '--shard'];
    const parts = [1, 2, 3].map((i) => resolve(['-c', '100', '-n', '1000', ...argv, `${i}/3`]));
    expect(parts.map((p) => p.connections)).toEqual([34, 33, 33]);
    expect(parts.map((p) => p.total)).toEqual([334, 333, 333]);
    expect(parts.reduce((s, p) => s + p.rate, 0)).toBeCloseTo(1000);
    expect(parts.every((p) => p.plan.connections === 100 && p.plan.total === 1000 && p.plan.rate === 1000)).toBe(true);
    const staged = [1, 2].map((i) => resolve(['--stages', '1s:5,1s:0', '--shard', `${i}/2`]));
    expect(staged.map((p) => p.stages.map((s) => s.target))).toEqual([[3, 0], [2, 0]]);
    const open = [1, 2].map((i) => resolve(['-c', '4', '--msg-rate', '1001', '--shard', `${i}/2`]));
    expect(open[0]!.msgRate + open[1]!.msgRate).toBe(1001);
    const ramp = [1, 2].map((i) => resolve(['-c', '4', '--msg-rate', '1s:100,1s:300', '--shard', `${i}/2`]));
    expect(ramp.map((p) => p.msgStages.map((s) => s.rate))).toEqual([[50, 150], [50, 150]]);
  });

  it('refuses what cannot be split, with one line naming the flag', () => {
    const bad: [string[] | FloodOptions, RegExp][] = [
      [[T, '--seed', '1', '--shard', '0/3'], /^--shard: the shard index must be a whole number in 1\.\.3/],
      [[T, '--seed', '1', '--shard', '4/3'], /^--shard: the shard index/],
      [[T, '--seed', '1', '--shard', '3'], /^--shard: not i\/N/],
      [[T, '--shard', '1/3'], /^--shard: needs --seed/],
      [['--seed', '1', '--shard', '1/3'], /^--shard: needs a target/],
      [[T, '--seed', '1', '-c', '2', '--shard', '1/3'], /^--shard: 3 shards need at least 3 connections at once/],
      [[T, '--seed', '1', '-c', '5', '-n', '2', '--shard', '1/3'], /^--shard: 3 shards need at least 3 connections in all/],
      [[T, '--seed', '1', '--shard', '1/3', '--stats', 'http://127.0.0.1:1/stats'], /^--stats: not with --shard/],
      [[T, '--seed', '1', '--shard-index', '1'], /^--shard-index: --shard-index and --shard-count go together/],
      // The two-flag form's errors name the flag that is wrong, not --shard, which was not given.
      [[T, '--seed', '1', '--shard-index', '0', '--shard-count', '2'], /^--shard-index: the shard index must be a whole number in 1\.\.2 \(1-based\) \(got "0"\)$/],
      [[T, '--seed', '1', '--shard-index', '3', '--shard-count', '2'], /^--shard-index: the shard index must be a whole number in 1\.\.2/],
      [[T, '--seed', '1', '--shard-index', '1', '--shard-count', '0'], /^--shard-count: the shard count must be a whole number in 1\.\./],
    ];
    for (const [argv, re] of bad) {
      expect(() => resolveFloodOptions(parseFloodArgv(argv as string[]))).toThrow(re);
    }
  });
});
