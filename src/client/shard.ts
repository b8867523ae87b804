/**
 * --shard i/N: one segment of a flood plan, so that N processes (on N machines) together run the
 * unsharded plan with the same seed. Connection ids are dealt round robin: shard i runs the ids j
 * with j mod N == i - 1, its k-th connection being id k*N + (i - 1). An id keeps its plan (mode,
 * sizes, frames: scenarios.ts derives them from the seed and the id alone), so whichever shard
 * runs it, it runs the same way, and every id runs exactly once. Concurrency, rates and --stages
 * targets are split the same way: shard i gets floor(x / N), plus one while i - 1 < x mod N.
 */
import { usageError } from '../errors.js';
import { UNLIMITED } from '../units.js';

/** Which segment: index 1..count. */
export interface Shard {
  index: number;
  count: number;
}

/** The plan values a shard splits, as given for the whole run. */
export interface ShardedPlan {
  connections: number;
  total: number;
  rate: number;
  msgRate: number;
  /** --stages, as options.ts's Stage. */
  stages: { durationMs: number; target: number }[];
  /** --msg-stages, as run/rateSchedule.ts's RateStage. */
  msgStages: { durationMs: number; rate: number }[];
}

/** Most shards: far more machines than one run would use, and ids stay far inside 2^31. */
export const MAX_SHARDS = 10_000;

/** `3/4` -> {index 3, count 4}. Throws UsageError. */
export function parseShard(flag: string, raw: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  if (!m) throw usageError(flag, 'not i/N, like 2/4 (1-based)', raw);
  return checkShard(flag, { index: Number(m[1]), count: Number(m[2]) });
}

/** A shard within bounds: 1 <= index <= count <= MAX_SHARDS. Throws UsageError. */
export function checkShard(flag: string, s: Shard, flags = { index: flag, count: flag }): Shard {
  if (!Number.isSafeInteger(s.count) || s.count < 1 || s.count > MAX_SHARDS) {
    throw usageError(flags.count, `the shard count must be a whole number in 1..${MAX_SHARDS}`, s.count);
  }
  if (!Number.isSafeInteger(s.index) || s.index < 1 || s.index > s.count) {
    throw usageError(flags.index, `the shard index must be a whole number in 1..${s.count} (1-based)`, s.index);
  }
  return { index: s.index, count: s.count };
}

/** Shard `s`'s part of `x` things dealt round robin over `n` shards (0-based s). */
export function part(x: number, s: number, n: number): number {
  return Math.floor(x / n) + (s < x % n ? 1 : 0);
}

/** The connection ids below `total` that shard `shard` runs: those with j mod N == index - 1. */
export function shardTotal(total: number, shard: Shard): number {
  return total >= UNLIMITED ? UNLIMITED : part(total, shard.index - 1, shard.count);
}

/** The id of the shard's k-th connection (k from 0). */
export function shardId(k: number, shard: Shard | null): number {
  return shard === null ? k : k * shard.count + (shard.index - 1);
}

/**
 * The shard's own segment of `plan`. Every shard needs at least one connection at once and one
 * to run: a plan too small to split N ways is a usage error.
 */
export function shardSegment(plan: ShardedPlan, shard: Shard): ShardedPlan {
  const s = shard.index - 1;
  const n = shard.count;
  if (plan.stages.length === 0 && plan.connections < n) {
    throw usageError('--shard', `${n} shards need at least ${n} connections at once (-c), one each`, plan.connections);
  }
  if (plan.total < n) throw usageError('--shard', `${n} shards need at least ${n} connections in all (-n), one each`, plan.total);
  if (plan.stages.length && Math.max(...plan.stages.map((st) => st.target)) < n) {
    const targets = plan.stages.map((st) => st.target).join(',');
    throw usageError('--shard', `${n} shards need a --stages target of at least ${n}, one connection each (below it, some shards open none)`, targets);
  }
  return {
    connections: plan.stages.length ? Math.max(1, ...plan.stages.map((st) => part(st.target, s, n))) : part(plan.connections, s, n),
    total: shardTotal(plan.total, shard),
    rate: plan.rate / n,
    msgRate: plan.msgRate / n,
    stages: plan.stages.map((st) => ({ durationMs: st.durationMs, target: part(st.target, s, n) })),
    msgStages: plan.msgStages.map((st) => ({ durationMs: st.durationMs, rate: st.rate / n })),
  };
}
