/**
 * The merge of sharded flood results (`iocp-bench merge`): counts add, the encoded HDR histograms
 * add exactly (the latency summaries are recomputed from them), interval samples are lined up by
 * wall time, fault and error samples are pooled. What makes the set unfit to merge (a shard
 * missing or given twice, different seeds or options) becomes a reason of the verdict.
 */
import type { Histogram } from 'hdr-histogram-js';
import { newHistogram, encodeHistogram, mergeEncoded, summarize } from '../run/floodCounters.js';
import { intervalLatency } from '../run/intervals.js';
import { FAULT_CLASSES } from '../verify/diagnose.js';
import { DISCONNECT_MODES } from '../run/scenarios.js';
import type { FloodResult } from '../verdict/result.js';
import type { IntervalHistograms, IntervalLatency, IntervalSample } from '../verdict/samples.js';

/** One shard's result as read from its file. */
export interface ShardInput {
  file: string;
  result: FloodResult;
}

/** What `merge --json` prints: a FloodResult of the whole run, plus where it came from. */
export interface MergedResult extends FloodResult {
  merge: {
    /**
     * The shards, in index order: their file, verdict and own reasons, start offsets (from their
     * --start-at), their own runs (`elapsedMs`) and how long after the merged run's start (the
     * first shard's) each began (`startedAfterMs`; null when a shard's start is not known).
     */
    shards: {
      file: string;
      index: number | null;
      count: number | null;
      verdict: string;
      reasons: string[];
      startOffsetMs: number | null;
      elapsedMs: number;
      startedAfterMs: number | null;
    }[];
    /** Why the set cannot stand for one run (missing, duplicated, different seeds or options); empty when it can. */
    problems: string[];
  };
}

/** Options every shard of one run must share (the per-shard splits and machine-local ones left out). */
const SHARED_OPTIONS = ['profile', 'durationMs', 'pipeline', 'messages', 'size', 'split', 'mix', 'seed', 'timeoutMs', 'holdMs'] as const;

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Why these results are not the shards of one run, one line each (empty: they are). */
export function setProblems(inputs: ShardInput[]): string[] {
  const problems: string[] = [];
  const unsharded = inputs.filter((i) => i.result.shard === null);
  for (const u of unsharded) problems.push(`${u.file} is not a shard (run without --shard)`);
  const sharded = inputs.filter((i) => i.result.shard !== null);
  if (sharded.length === 0) return problems;
  const counts = [...new Set(sharded.map((i) => i.result.shard!.count))];
  if (counts.length > 1) problems.push(`the shards disagree on how many there are: ${sharded.map((i) => `${i.result.shard!.index}/${i.result.shard!.count} (${i.file})`).join(', ')}`);
  const n = Math.max(...counts);
  for (let k = 1; k <= n; k++) {
    const holders = sharded.filter((i) => i.result.shard!.index === k);
    if (holders.length === 0) problems.push(`shard ${k}/${n} is missing`);
    if (holders.length > 1) problems.push(`shard ${k}/${n} is given ${holders.length} times (${holders.map((h) => h.file).join(', ')})`);
  }
  const first = sharded[0]!;
  for (const other of sharded.slice(1)) {
    const a = first.result;
    const b = other.result;
    if (a.options.seed !== b.options.seed) {
      problems.push(`the shards ran different seeds: ${a.options.seed} (${first.file}), ${b.options.seed} (${other.file})`);
      continue;
    }
    const differ = SHARED_OPTIONS.filter((k) => !same(a.options[k], b.options[k]));
    if (!same(a.shard!.plan, b.shard!.plan)) differ.unshift('plan' as never);
    if (a.intervalMs !== b.intervalMs) differ.push('interval' as never);
    if (!same(a.target, b.target)) differ.push('target' as never);
    if (differ.length) problems.push(`${other.file} ran other options than ${first.file}: ${differ.join(', ')} ${differ.length === 1 ? 'differs' : 'differ'}`);
  }
  problems.push(...apartProblems(sharded));
  return problems;
}

/**
 * When a run started, ms since the epoch: from its first sample (on the clock the samples' times
 * are on), or else its --start-at and how late it was; null when neither says.
 */
export function runStart(r: FloodResult): number | null {
  const s = r.samples[0];
  if (s) return s.time - s.elapsedMs;
  return r.startAt ? Date.parse(r.startAt.at) + r.startAt.offsetMs : null;
}

/** Whether a shard ran: it opened a connection (one stopped while it waited for --start-at did not). */
function hasRun(r: FloodResult): boolean {
  return r.connections.started > 0;
}

/**
 * Shards that did not run at the same time (one started after another had ended) are not one
 * flood. A shard that opened no connection (stopped while it waited for --start-at) never ran:
 * its own FAIL says so, and its stop is no start to compare.
 */
function apartProblems(sharded: ShardInput[]): string[] {
  const spans = sharded
    .filter((i) => hasRun(i.result))
    .map((i) => ({ i, start: runStart(i.result) }))
    .filter((x): x is { i: ShardInput; start: number } => x.start !== null)
    .sort((a, b) => a.start - b.start);
  if (spans.length < 2) return [];
  const first = spans[0]!;
  const firstEnd = first.start + first.i.result.elapsedMs;
  return spans
    .slice(1)
    .filter((x) => x.start >= firstEnd)
    .map((x) => `${x.i.file} started ${((x.start - first.start) / 1000).toFixed(1)} s after ${first.i.file}, which had ended by then: the shards did not run together (give them one --start-at)`);
}

/** The shards' results as one: counts summed, histograms merged, samples aligned. Verdict and assertions are the caller's. */
export function mergeResults(inputs: ShardInput[]): MergedResult {
  const rs = inputs.map((i) => i.result);
  const first = rs[0]!;
  const plan = first.shard?.plan;
  // The merged run spans from the first shard's start to the last one's end (shards started a few
  // ms apart: about the longest shard's run); without the starts, the longest shard's run. A shard
  // that opened no connection (stopped while it waited for --start-at) never ran: its stop is no
  // start, and it has nothing to line up (unless no shard ran at all).
  const ran = rs.some(hasRun) ? rs.map(hasRun) : rs.map(() => true);
  const starts = rs.map((r, i) => (ran[i] ? runStart(r) : null));
  const known = starts.every((t, i) => t !== null || !ran[i]);
  const t0 = known ? Math.min(...(starts.filter((t) => t !== null) as number[])) : null;
  const elapsedMs = known
    ? Math.round(Math.max(...rs.flatMap((r, i) => (ran[i] ? [starts[i]! + r.elapsedMs] : []))) - t0!)
    : Math.max(...rs.map((r) => r.elapsedMs));
  const secs = Math.max(elapsedMs, 1) / 1000;
  const hist = (pick: (r: FloodResult) => string | null) => {
    const h = newHistogram();
    for (const r of rs) {
      const enc = pick(r);
      if (enc) mergeEncoded(h, enc);
    }
    return h;
  };
  const rtt = hist((r) => r.histograms.roundTrip);
  const openLoop = rs.some((r) => r.histograms.serviceTime !== null);
  const service = openLoop ? hist((r) => r.histograms.serviceTime) : null;
  const connect = hist((r) => r.histograms.connect);
  const conn = (k: keyof FloodResult['connections']) => sum(rs.map((r) => r.connections[k] as number));
  const finished = conn('ok') + conn('faulted') + conn('errored');
  const achieved = (xs: (number | null)[]) => (xs.every((x) => x === null) ? null : Math.round(sum(xs.map((x) => x ?? 0)) * 100) / 100);
  const verified = sum(rs.map((r) => r.messages.verified));
  const faults = Object.fromEntries(FAULT_CLASSES.map((f) => [f, sum(rs.map((r) => r.faults[f]))])) as Record<(typeof FAULT_CLASSES)[number], number>;
  const transportThreads: Record<string, number> = {};
  for (const r of rs) for (const [t, n] of Object.entries(r.options.transportThreads)) transportThreads[t] = (transportThreads[t] ?? 0) + n!;
  const merged: MergedResult = {
    verdict: 'PASS',
    reasons: [],
    warnings: rs.flatMap((r) => r.warnings.map((w) => `${shardName(r)}: ${w}`)),
    target: first.target,
    options: {
      ...first.options,
      ...(plan ? { connections: plan.connections, total: plan.total, rate: plan.rate, msgRate: plan.msgRate, stages: plan.stages, msgStages: plan.msgStages } : {}),
      workers: sum(rs.map((r) => r.options.workers)),
      transportThreads,
      sources: { count: sum(rs.map((r) => r.options.sources.count)), addresses: [...new Set(rs.flatMap((r) => r.options.sources.addresses))].slice(0, 16) },
    },
    shard: null,
    startAt: first.startAt ? { at: first.startAt.at, offsetMs: Math.max(...rs.map((r) => r.startAt?.offsetMs ?? 0)) } : null,
    elapsedMs,
    stoppedEarly: rs.some((r) => r.stoppedEarly === 'abort') ? 'abort' : rs.some((r) => r.stoppedEarly === 'stop') ? 'stop' : null,
    serverGone: rs.find((r) => r.serverGone !== null)?.serverGone ?? null,
    connections: {
      started: conn('started'),
      connected: conn('connected'),
      ok: conn('ok'),
      faulted: conn('faulted'),
      errored: conn('errored'),
      aborted: conn('aborted'),
      // Each shard's peak, summed: an upper bound of the peak at once, as over threads.
      peakActive: conn('peakActive'),
      perSec: Math.round(finished / secs),
      targetPerSec: plan && plan.rate > 0 ? plan.rate : null,
      achievedPerSec: achieved(rs.map((r) => r.connections.achievedPerSec)),
      byMode: Object.fromEntries(
        DISCONNECT_MODES.map((m) => [m, {
          started: sum(rs.map((r) => r.connections.byMode[m].started)),
          ok: sum(rs.map((r) => r.connections.byMode[m].ok)),
          fault: sum(rs.map((r) => r.connections.byMode[m].fault)),
          error: sum(rs.map((r) => r.connections.byMode[m].error)),
        }]),
      ) as FloodResult['connections']['byMode'],
    },
    messages: {
      sent: sum(rs.map((r) => r.messages.sent)),
      verified,
      perSec: Math.round(verified / secs),
      targetPerSec: plan && plan.msgRate > 0 ? plan.msgRate : null,
      achievedPerSec: achieved(rs.map((r) => r.messages.achievedPerSec)),
      // A result written before `unsent` existed counts none.
      unsent: openLoop ? sum(rs.map((r) => r.messages.unsent ?? 0)) : null,
    },
    bytes: {
      sent: sum(rs.map((r) => r.bytes.sent)),
      received: sum(rs.map((r) => r.bytes.received)),
      perSec: Math.round(sum(rs.map((r) => r.bytes.sent + r.bytes.received)) / secs),
    },
    latencyUs: { connect: summarize(connect), roundTrip: summarize(rtt), serviceTime: service ? summarize(service) : null },
    faults: { total: sum(Object.values(faults)), ...faults },
    errors: {
      total: sum(rs.map((r) => r.errors.total)),
      reset: sum(rs.map((r) => r.errors.reset)),
      refused: sum(rs.map((r) => r.errors.refused)),
      timeout: sum(rs.map((r) => r.errors.timeout)),
      other: sum(rs.map((r) => r.errors.other)),
    },
    faultSamples: rs.flatMap((r) => r.faultSamples).sort((a, b) => a.connection - b.connection),
    errorSamples: rs.flatMap((r) => r.errorSamples).sort((a, b) => a.connection - b.connection),
    leak: { status: 'not-run', reasons: ['no server stats available (pass --stats <url>)'], leaks: null, settleMs: 0, before: null, after: null },
    assertions: [],
    intervalMs: first.intervalMs,
    ...alignSamples(
      rs.map((r, i) => (ran[i] ? r.samples : [])),
      rs.map((r, i) => (ran[i] ? (r.intervalHistograms ?? null) : null)),
      first.intervalMs,
      t0,
    ),
    histograms: { roundTrip: encodeHistogram(rtt), serviceTime: service ? encodeHistogram(service) : null, connect: encodeHistogram(connect) },
    merge: {
      shards: inputs
        .map((i, k) => ({
          file: i.file,
          index: i.result.shard?.index ?? null,
          count: i.result.shard?.count ?? null,
          verdict: i.result.verdict,
          reasons: i.result.reasons,
          startOffsetMs: i.result.startAt?.offsetMs ?? null,
          elapsedMs: i.result.elapsedMs,
          startedAfterMs: t0 === null || starts[k] === null ? null : Math.round(starts[k]! - t0),
        }))
        .sort((a, b) => (a.index ?? 0) - (b.index ?? 0)),
      problems: setProblems(inputs),
    },
  };
  return merged;
}

function shardName(r: FloodResult): string {
  return r.shard ? `shard ${r.shard.index}/${r.shard.count}` : 'unsharded run';
}

/** A shard's sample and, when the shard kept them, its histograms. */
interface Entry {
  s: IntervalSample;
  h: IntervalHistograms | null;
}

/**
 * Interval samples of every shard, lined up on the merged run's intervals, the k-th ending k
 * intervals after the merged run's start. A shard's sample goes to the interval it covers most, on
 * the shard's own clock (shardInterval()), shifted by the whole intervals the shard started after
 * the merged run (rounded: shards started a few ms apart line up). A full sample goes to its own
 * boundary; a shorter last one after the shard's last boundary (its wind-down) to the interval
 * after; a last one a few ms longer than an interval (an open loop whose run ended just past a
 * boundary that no client thread had taken: the whole last interval and the wind-down, 2004 ms
 * of a 500 ms interval) to the interval it nearly fills, not the next, where it would leave a dip
 * and fake a wind-down full of messages; a folded one (a boundary every thread passed while busy)
 * to the last interval it covers. So a shard's samples never share an interval, but for one of
 * 0 ms ending on a boundary: its counts then add to the one before, and its gauges stand for the
 * shard.
 *
 * In an interval the counts add over the shards; `connections.active` adds each shard's latest;
 * the server's counters are the latest reading. The merged interval is one interval long, its
 * rates per second of that (a shard's part a few ms longer, its wind-down in it, does not dilute
 * the others'); one whose shards' parts are all shorter (the run's last, of wind-downs) is as long
 * as the longest of them. Its `time` is the latest end in it (never before the previous
 * interval's), its elapsedMs counted from the merged run's start. Where every sample of an
 * interval comes with its histograms (a shard's `intervalHistograms`), they are added and its
 * percentiles are exact, and so are the merged result's `intervalHistograms`. Otherwise (results
 * of floods older than these) the percentiles of summaries do not add: an interval's p90, p99 and
 * max are the highest of its samples' (an upper bound), its p50 the count-weighted mean of theirs
 * (an estimate), and the merged result has no `intervalHistograms`. The whole run's latencies
 * (latencyUs) are exact either way, from the merged histograms.
 */
export function alignSamples(
  perShard: IntervalSample[][],
  perShardHistograms: (IntervalHistograms[] | null)[],
  intervalMs: number,
  /** The merged run's start (ms since the epoch): a merged sample's elapsedMs counts from it; null: the earliest of the shards' starts. */
  startMs: number | null = null,
): { samples: IntervalSample[]; intervalHistograms: IntervalHistograms[] | null } {
  const every = Math.max(intervalMs, 1);
  // A shard starts at its first sample's end less its elapsedMs (runStart()).
  const starts = perShard.map((list) => (list.length ? list[0]!.time - list[0]!.elapsedMs : null));
  const known = starts.filter((t): t is number => t !== null);
  if (known.length === 0) return { samples: [], intervalHistograms: [] };
  const t0 = startMs ?? Math.min(...known);
  /** Merged interval → each shard's samples in it. */
  const buckets = new Map<number, Entry[][]>();
  perShard.forEach((list, shard) => {
    if (list.length === 0) return;
    const hs = perShardHistograms[shard];
    // Histograms that do not pair one to one with the samples are not used.
    const paired = hs && hs.length === list.length ? hs : null;
    const offset = Math.round((starts[shard]! - t0) / every);
    list.forEach((s, i) => {
      const key = offset + shardInterval(s.elapsedMs, s.intervalMs, every);
      let byShard = buckets.get(key);
      if (!byShard) buckets.set(key, (byShard = perShard.map(() => [])));
      byShard[shard]!.push({ s, h: paired ? paired[i]! : null });
    });
  });
  let previousTime = -Infinity;
  const combined = [...buckets.keys()]
    .sort((a, b) => a - b)
    .map((k) => {
      const c = combine(buckets.get(k)!.filter((entries) => entries.length > 0), every, t0, previousTime);
      previousTime = c.sample.time;
      return c;
    });
  return {
    samples: combined.map((c) => c.sample),
    intervalHistograms: combined.every((c) => c.histograms !== null) ? combined.map((c) => c.histograms!) : null,
  };
}

/**
 * The interval (1-based, on the shard's own clock) a sample ending at `elapsedMs` after
 * `lengthMs` is filed under: the one it covers most. A sample that covers a whole interval (a full
 * one, a folded one, a last one a few ms past its boundary) goes to the last interval it covers
 * whole; a shorter one to the interval its midpoint falls in (a wind-down after a boundary: the
 * interval after it; a run shorter than an interval: the first); one of 0 ms to the interval it
 * ends in, a boundary ending the interval before it. elapsedMs is a whole ms: a boundary's
 * (b × interval) rounded, within half a ms of it.
 */
export function shardInterval(elapsedMs: number, lengthMs: number, every: number): number {
  if (lengthMs <= 0) return Math.max(1, Math.ceil((elapsedMs - 0.5) / every));
  const lastWhole = Math.floor((elapsedMs + 0.5) / every);
  if (lengthMs > every && lastWhole >= 1 && (lastWhole - 1) * every >= elapsedMs - lengthMs - 0.5) return lastWhole;
  return Math.max(1, Math.floor((elapsedMs - lengthMs / 2) / every) + 1);
}

/** The bucket's histograms added, or null when a sample of it came without its own. */
function addHistograms(hs: (IntervalHistograms | null)[]): { roundTrip: Histogram; serviceTime: Histogram | null } | null {
  if (hs.some((h) => h === null)) return null;
  const roundTrip = newHistogram();
  const service = newHistogram();
  let openLoop = false;
  for (const h of hs as IntervalHistograms[]) {
    mergeEncoded(roundTrip, h.roundTrip);
    if (h.serviceTime !== null) {
      openLoop = true;
      mergeEncoded(service, h.serviceTime);
    }
  }
  return { roundTrip, serviceTime: openLoop ? service : null };
}

/** One merged interval (`every` ms) from each shard's samples in it (each shard's in its order, at least one). */
function combine(perShard: Entry[][], every: number, t0: number, previousTime: number): { sample: IntervalSample; histograms: IntervalHistograms | null } {
  const entries = perShard.flat();
  const ss = entries.map((e) => e.s);
  const total = <T>(pick: (s: IntervalSample) => T, keys: (keyof T)[]) =>
    Object.fromEntries(keys.map((key) => [key, sum(ss.map((s) => pick(s)[key] as number))])) as T;
  // Each shard's part of the interval: its samples' lengths added; the gauges at its latest. The
  // interval is one interval long: not as long as its longest part, which a last sample's few ms
  // past the boundary or a folded sample's interval before would stretch, every other shard's
  // rate diluted over that; as long as its longest part only when all are shorter (wind-downs).
  const intervalMs = Math.min(every, Math.max(...perShard.map((es) => sum(es.map((e) => e.s.intervalMs)))));
  const latestOf = (es: Entry[]) => es.reduce((a, b) => (b.s.time >= a.s.time ? b : a)).s;
  const perSec = (n: number) => Math.round(n / (Math.max(intervalMs, 1) / 1000));
  const messages = total((s) => s.messages, ['sent', 'verified']);
  const bytes = total((s) => s.bytes, ['sent', 'received']);
  const time = Math.max(previousTime, ...ss.map((s) => s.time));
  const service = ss.map((s) => s.serviceTimeUs).filter((x): x is IntervalLatency => x !== null);
  const exact = addHistograms(entries.map((e) => e.h));
  const sample: IntervalSample = {
    time,
    elapsedMs: Math.round(time - t0),
    intervalMs,
    connections: {
      ...total((s) => s.connections, ['opened', 'ok', 'fault', 'error', 'aborted']),
      active: sum(perShard.map((es) => latestOf(es).connections.active)),
    },
    messages: { ...messages, perSec: perSec(messages.verified) },
    bytes: { ...bytes, sentPerSec: perSec(bytes.sent), receivedPerSec: perSec(bytes.received) },
    roundTripUs: exact ? intervalLatency(exact.roundTrip) : latency(ss.map((s) => s.roundTripUs)),
    serviceTimeUs: exact ? (exact.serviceTime ? intervalLatency(exact.serviceTime) : null) : service.length ? latency(service) : null,
    faults: total((s) => s.faults, ['total', ...FAULT_CLASSES]),
    errors: total((s) => s.errors, ['total', 'reset', 'refused', 'timeout', 'other']),
    // One server seen by every shard: the latest reading stands for the interval.
    server: ss.filter((s) => s.server !== null).reduce<IntervalSample | null>((a, b) => (a === null || b.time > a.time ? b : a), null)?.server ?? null,
  };
  const histograms = exact
    ? { roundTrip: encodeHistogram(exact.roundTrip), serviceTime: exact.serviceTime ? encodeHistogram(exact.serviceTime) : null }
    : null;
  return { sample, histograms };
}

function latency(ls: IntervalLatency[]): IntervalLatency {
  const count = sum(ls.map((l) => l.count));
  if (count === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  return {
    count,
    p50: Math.round(sum(ls.map((l) => l.p50 * l.count)) / count),
    p90: Math.max(...ls.map((l) => l.p90)),
    p99: Math.max(...ls.map((l) => l.p99)),
    max: Math.max(...ls.map((l) => l.max)),
  };
}
