/**
 * FloodResult, what `--json` prints, and buildResult(): merged counters, latency summaries, the
 * leak verdict and the assertions turned into one verdict with its reasons.
 */
import type { ServerStats } from '../../server/index.js';
import { evaluateAssertions, type AssertionResult, type AssertMetric } from './assertions.js';
import type { FaultClass } from '../verify/diagnose.js';
import type { ErrorSample, FaultSample } from '../run/clientEngine.js';
import type { LeakVerdict } from './leakCheck.js';
import type { ServerGone } from './serverGone.js';
import type { ResolvedFloodOptions, Stage } from '../options.js';
import type { RateStage } from '../run/rateSchedule.js';
import type { DisconnectMode, Mix } from '../run/scenarios.js';
import { byMode, C, encodeHistogram, faultCounts, summarize, type LatencySummary } from '../run/floodCounters.js';
import type { IntervalHistograms, IntervalSample } from './samples.js';
import type { MergedReport } from '../run/threads.js';
import type { TransportName } from '../transport/transport.js';
import { formatCount, formatRate, roundRate, startOffsetText, UNLIMITED, type Range } from '../../units.js';
import type { Shard, ShardedPlan } from '../shard.js';

/**
 * The flood's result: plain JSON data (what `--json` prints, unchanged). Counts are totals over
 * all client threads; latencies are in microseconds.
 */
export interface FloodResult {
  verdict: 'PASS' | 'FAIL';
  /** Why the verdict is FAIL, one line each (empty on PASS). */
  reasons: string[];
  /**
   * What the verdict does not judge but the reader should know, one line each: an achieved rate
   * (--rate, --msg-rate) more than 3% short of its target; messages an open loop never sent; a
   * --start-at that had passed; a target running a fault a flood is not expected to catch;
   * connections the server rejected, and sessions it reset for want of a descriptor.
   */
  warnings: string[];
  /** lifetime: the server's --lifetime, from its stats (null where none were read). */
  target: { host: string; port: number; embedded: boolean; backend: string | null; lifetime?: string | null };
  options: {
    /** The preset the options started from (`default`: none). */
    profile: string;
    connections: number;
    total: number | null;
    durationMs: number;
    /** --stages: the connection target over time ([] without). */
    stages: Stage[];
    rate: number;
    /** Open loop: messages per second (--msg-rate; with stages, their mean); 0 = closed loop. */
    msgRate: number;
    /** Open loop with a ramped rate: --msg-rate's stages ([] otherwise). */
    msgStages: RateStage[];
    /** Open loop: frames one connection may have in flight (--pipeline). */
    pipeline: number;
    messages: Range;
    size: Range;
    split: boolean;
    mix: Mix;
    seed: number;
    workers: number;
    timeoutMs: number;
    /** How long idle-mode connections hold (ms), --hold. */
    holdMs: Range;
    /** The transport asked for (or picked by `auto`). */
    transport: TransportName;
    /**
     * Client threads per transport they really ran on: a `uring` thread whose ring cannot be set
     * up (say, io_uring's locked-memory limit on kernels before 5.12) makes plain calls, `native`.
     */
    transportThreads: Partial<Record<TransportName, number>>;
    /** --source: how many local addresses connections were bound to, and the first few (0 and []: the OS picked). */
    sources: { count: number; addresses: string[] };
  };
  /**
   * --shard: which segment of the plan this run was, and the whole plan's values it was cut from
   * (connections, total, rates, stages above are this segment's own); null when unsharded.
   */
  shard: (Shard & { plan: Omit<ShardedPlan, 'total'> & { total: number | null } }) | null;
  /**
   * --start-at: the intended start (ISO time) and how far the real start was from it, ms
   * (positive: late; a time already past when the flood was set up starts at once, late by that much).
   */
  startAt: { at: string; offsetMs: number } | null;
  elapsedMs: number;
  /**
   * The run was cut short by FloodRun.stop() (the CLI's first Ctrl-C: no more connections were
   * opened, those running finished) or abort() (the second: those running were aborted too);
   * null when it ran its full plan. The verdict covers what ran.
   */
  stoppedEarly: 'stop' | 'abort' | null;
  /**
   * The server went away mid-run (connects refused after connections had reached it, nothing
   * verified since): the run ended early, and what the cut-off connections saw is not judged. A
   * death too close to the end to end the run early is told by one more connect after it
   * (finalConnectRefused).
   */
  serverGone: ServerGone | null;
  connections: {
    started: number;
    connected: number;
    ok: number;
    faulted: number;
    errored: number;
    aborted: number;
    /**
     * Most connections running at once: each client thread's peak, summed (exact with one thread,
     * an upper bound with several).
     */
    peakActive: number;
    perSec: number;
    /** --rate: the target (null without one) and the rate connections were opened at (RATE_WINDOW). */
    targetPerSec: number | null;
    achievedPerSec: number | null;
    byMode: Record<DisconnectMode, { started: number; ok: number; fault: number; error: number }>;
  };
  /**
   * perSec: verified over the whole run. Open loop: targetPerSec is --msg-rate, achievedPerSec the
   * rate the schedule's messages were sent at (RATE_WINDOW); both null in closed loop. unsent:
   * open loop, messages the schedule had due when the run ended (a --duration's deadline plus up
   * to --timeout for those late, or a stop) that no connection had sent, which the round trips
   * therefore leave out; null in closed loop.
   */
  messages: { sent: number; verified: number; perSec: number; targetPerSec: number | null; achievedPerSec: number | null; unsent: number | null };
  bytes: { sent: number; received: number; perSec: number };
  /**
   * roundTrip: closed loop, from the call that sent the frame to its verified echo; open loop, from
   * the frame's intended send time on the schedule (corrected for coordinated omission).
   * serviceTime: open loop only (null otherwise), from the call that sent the frame.
   */
  latencyUs: { connect: LatencySummary; roundTrip: LatencySummary; serviceTime: LatencySummary | null };
  faults: { total: number } & Record<FaultClass, number>;
  errors: { total: number; reset: number; refused: number; timeout: number; other: number };
  faultSamples: FaultSample[];
  errorSamples: ErrorSample[];
  leak: {
    status: LeakVerdict['status'];
    reasons: string[];
    leaks: number | null;
    settleMs: number;
    before: ServerStats | null;
    after: ServerStats | null;
  };
  assertions: AssertionResult[];
  /** --interval in ms (the samples' nominal length). */
  intervalMs: number;
  samples: IntervalSample[];
  /**
   * The run's whole latency histograms in HdrHistogram's compressed base64 encoding
   * (hdr-histogram-js encodeIntoCompressedBase64; µs). serviceTime null in closed loop.
   */
  histograms: { roundTrip: string; serviceTime: string | null; connect: string };
  /**
   * A shard's (--shard) interval histograms, one per sample in the same order, encoded as
   * `histograms` is: `merge` adds them to give the merged intervals exact percentiles. null when
   * the run is not a shard (they would double a long run's JSON for no reader).
   */
  intervalHistograms: IntervalHistograms[] | null;
}

/**
 * The peak concurrency as the reports say it: exact from one client thread; from several (or
 * merged shards) their peaks added, which they need not have reached at the same moment.
 */
export function peakText(r: FloodResult): string {
  const peak = r.connections.peakActive;
  return r.options.workers <= 1 && !('merge' in r) ? `${peak} at once at the peak` : `up to ${peak} at once at the peak (the client threads' peaks added)`;
}

/** --source addresses the result lists (the count is always there). */
const SOURCES_LISTED = 16;

/** An achieved rate more than this fraction below its target is warned about. */
export const RATE_SHORTFALL = 0.03;

/**
 * RATE_WINDOW: an achieved rate counts what was started (connections) or sent (scheduled messages)
 * over the window from the start to the last one plus one interval of the pace, each thread's
 * window ending where its last one did: a run that kept its pace achieves exactly its target,
 * whatever the connections' lifetimes or the tail of echoes after the last send.
 */
function achieved(count: number, windowMs: number): number {
  return windowMs > 0 ? count / (windowMs / 1000) : 0;
}

function shortfall(what: string, target: number, got: number | null, unit: string): string | null {
  if (got === null || got >= target * (1 - RATE_SHORTFALL)) return null;
  const pct = ((1 - got / target) * 100).toFixed(1);
  // As the report's rate line shows them (10.00M, 136.0k; below 100 a second, to 0.01: --rate 0.5).
  return `${what} rate fell short: ${formatRate(got)} of the ${formatRate(target)} ${unit} asked (${pct}% below)`;
}

/**
 * Zoo faults no flood is expected to catch (README, "Bug zoo"): no-recheck needs IOCP's CancelIoEx
 * racing a post the server closes itself, revive-zero an idle scan or shutdown racing a last
 * release. The deterministic tests of test/unit/lifetime/ carry them; a PASS here clears nothing.
 */
const UNCAUGHT_FAULTS = ['no-recheck', 'revive-zero'];

function uncaughtFault(lifetime: string | null): string | null {
  return lifetime !== null && UNCAUGHT_FAULTS.includes(lifetime)
    ? `the server runs --lifetime ${lifetime}, a fault a flood is not expected to catch (README, "Bug zoo"; test/unit/lifetime/bug-zoo.test.ts shows it): a PASS does not clear it`
    : null;
}

/** A start this much after --start-at is warned about: shards that started on time ran without this one for as long. */
export const LATE_START_MS = 1000;

function lateStart(at: number | null, realStart: number | null): string | null {
  if (at === null || realStart === null || realStart - at <= LATE_START_MS) return null;
  return `began ${startOffsetText(Math.round(realStart - at))}: --start-at ${new Date(at).toISOString()} had passed, so this run did not start with others given it`;
}

/** Open loop: due messages that never went out are latencies the percentiles cannot show. */
export function unsentWarning(unsent: number): string | null {
  return unsent > 0
    ? `${unsent} message(s) due by the schedule were never sent (no connection could take them before the run ended): the round trips leave them out`
    : null;
}

/**
 * Connections the server reset on arrival during the run (sessions.rejected: its session limit,
 * or its descriptor limit): their resets are among the network errors, which do not fail a run.
 * Only from counters judged to be the target's (the leak check ran on them).
 */
function rejections(leak: LeakVerdict): string | null {
  const n = duringRun(leak, (s) => s.sessions.rejected);
  return n > 0 ? `the server rejected ${n} connection(s) at its session or descriptor limit: reset on arrival, they count among the network errors` : null;
}

/** What a session reset for want of a descriptor is (the server's extra.sendDescriptorResets). */
export const DESCRIPTOR_RESETS = 'whose echo had to wait on a slow reader with no descriptor left to wait on (its descriptor limit)';

/** Sessions the server reset during the run because a waiting send found no descriptor (epoll): network errors too. */
export function descriptorResets(leak: LeakVerdict): string | null {
  const n = duringRun(leak, (s) => s.extra?.sendDescriptorResets ?? 0);
  return n > 0 ? `the server reset ${n} session(s) ${DESCRIPTOR_RESETS}: they count among the network errors` : null;
}

/**
 * How much a server counter grew between the leak check's readings before and after the run;
 * 0 unless both readings exist and were judged to be the target's (the leak check ran on them).
 */
function duringRun(leak: LeakVerdict, count: (s: ServerStats) => number): number {
  if (leak.status !== 'clean' && leak.status !== 'leak') return 0;
  return leak.before && leak.after ? count(leak.after) - count(leak.before) : 0;
}

/** Connections of these modes never wait for an echo: they complete whatever the server does. */
const NO_ECHO: readonly DisconnectMode[] = ['connect-rst', 'connect-abort', 'rst-send-pending'];

/** The result of a flood that ran: its counters as JSON data, the assertions and the verdict. */
export function buildResult(
  o: ResolvedFloodOptions,
  target: { host: string; port: number; backend: string | null; lifetime?: string | null },
  merged: MergedReport,
  elapsedMs: number,
  leak: LeakVerdict,
  stoppedEarly: 'stop' | 'abort' | null = null,
  serverGone: ServerGone | null = null,
  samples: IntervalSample[] = [],
  realStart: number | null = null,
  intervalHistograms: IntervalHistograms[] | null = null,
  /** Nothing connected or failed, and one connect after the run was refused: nothing listens there. */
  unreachable = false,
): FloodResult {
  const c = merged.counters;
  const secs = Math.max(elapsedMs, 1) / 1000;
  const faults = faultCounts(c);
  const faultTotal = Object.values(faults).reduce((a, b) => a + b, 0);
  const rtt = summarize(merged.rtt);
  const openLoop = o.msgRate > 0;
  const connAchieved = o.rate > 0 ? achieved(c[C.started]!, merged.connectWindowMs) : null;
  const msgAchieved = openLoop ? achieved(c[C.messagesSent]!, merged.messageWindowMs) : null;
  const connect = summarize(merged.connect);
  const result: FloodResult = {
    verdict: 'PASS',
    reasons: [],
    warnings: [
      // Nothing started (stopped during a --start-at wait) is no shortfall: the reasons say why.
      o.rate > 0 && c[C.started]! > 0 ? shortfall('connection', o.rate, connAchieved, 'connections/s') : null,
      openLoop && c[C.started]! > 0 ? shortfall('message', o.msgRate, msgAchieved, 'msg/s') : null,
      openLoop ? unsentWarning(c[C.messagesUnsent]!) : null,
      lateStart(o.startAt, realStart),
      uncaughtFault(target.lifetime ?? null),
      rejections(leak),
      descriptorResets(leak),
    ].filter((w): w is string => w !== null),
    target: { ...target, embedded: o.embedded },
    options: {
      profile: o.profile,
      connections: o.connections,
      total: o.total >= UNLIMITED ? null : o.total,
      durationMs: o.durationMs,
      stages: o.stages,
      rate: o.rate,
      msgRate: o.msgRate,
      msgStages: o.msgStages,
      pipeline: o.pipeline,
      messages: o.messages,
      size: o.size,
      split: o.split,
      mix: o.mix,
      seed: o.seed,
      workers: o.workers,
      timeoutMs: o.timeoutMs,
      holdMs: o.idleHoldMs,
      transport: o.transport,
      transportThreads: merged.transports,
      sources: { count: o.sources.length, addresses: o.sources.slice(0, SOURCES_LISTED) },
    },
    shard: o.shard ? { ...o.shard, plan: { ...o.plan, total: o.plan.total >= UNLIMITED ? null : o.plan.total } } : null,
    startAt: o.startAt !== null && realStart !== null ? { at: new Date(o.startAt).toISOString(), offsetMs: Math.round(realStart - o.startAt) } : null,
    elapsedMs: Math.round(elapsedMs),
    stoppedEarly,
    serverGone,
    connections: {
      started: c[C.started]!,
      connected: c[C.connected]!,
      ok: c[C.ok]!,
      faulted: c[C.faulted]!,
      errored: c[C.errored]!,
      aborted: c[C.aborted]!,
      peakActive: c[C.peakActive]!,
      perSec: Math.round((c[C.ok]! + c[C.faulted]! + c[C.errored]!) / secs),
      targetPerSec: o.rate > 0 ? o.rate : null,
      achievedPerSec: connAchieved === null ? null : roundRate(connAchieved),
      byMode: byMode(c),
    },
    messages: {
      sent: c[C.messagesSent]!,
      verified: c[C.messagesVerified]!,
      perSec: Math.round(c[C.messagesVerified]! / secs),
      targetPerSec: openLoop ? o.msgRate : null,
      achievedPerSec: msgAchieved === null ? null : roundRate(msgAchieved),
      unsent: openLoop ? c[C.messagesUnsent]! : null,
    },
    bytes: { sent: c[C.bytesSent]!, received: c[C.bytesReceived]!, perSec: Math.round((c[C.bytesSent]! + c[C.bytesReceived]!) / secs) },
    latencyUs: { connect, roundTrip: rtt, serviceTime: openLoop ? summarize(merged.serviceTime) : null },
    faults: { total: faultTotal, ...faults },
    errors: {
      total: c[C.errored]!,
      reset: c[C.errReset]!,
      refused: c[C.errRefused]!,
      timeout: c[C.errTimeout]!,
      other: c[C.errOther]!,
    },
    faultSamples: merged.faultSamples,
    errorSamples: merged.errorSamples,
    leak: { status: leak.status, reasons: leak.reasons, leaks: leak.leaks, settleMs: leak.settleMs, before: leak.before, after: leak.after },
    assertions: [],
    intervalMs: o.intervalMs,
    samples,
    histograms: {
      roundTrip: encodeHistogram(merged.rtt),
      serviceTime: openLoop ? encodeHistogram(merged.serviceTime) : null,
      connect: encodeHistogram(merged.connect),
    },
    intervalHistograms,
  };
  result.assertions = evaluateAssertions(o.assertions, (m) => measure(result, m));
  result.reasons = failReasons(result, faults, leak, unreachable);
  result.verdict = result.reasons.length ? 'FAIL' : 'PASS';
  return result;
}

/** Why the run fails, one line each: data faults, a leak, no connection through, failed checks. */
function failReasons(r: FloodResult, faults: Record<FaultClass, number>, leak: LeakVerdict, unreachable: boolean): string[] {
  const reasons: string[] = [];
  const gone = r.serverGone;
  if (gone) {
    // Connections cut off by the server's death end short or reset: their faults and errors are
    // its symptom, not findings of their own.
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const refused = `${gone.refused} connect${gone.refused === 1 ? '' : 's'} refused`;
    const what = gone.finalConnectRefused
      ? `last progress ${s(gone.lastProgressMs)} into the run, then ${refused}, and one more after the run`
      : `nothing verified since ${s(gone.lastProgressMs)} into the run, then ${refused}`;
    const cut = `${r.faults.total} fault${r.faults.total === 1 ? '' : 's'} and ${r.errors.total} error${r.errors.total === 1 ? '' : 's'}`;
    reasons.push(`server went away: ${what} (run ended at ${s(gone.detectedMs)}; ${cut} of cut-off connections not judged)`);
    return [...reasons, ...assertionReasons(r)];
  }
  if (r.faults.total > 0) {
    const classes = (Object.entries(faults) as [FaultClass, number][]).filter(([, n]) => n > 0).map(([f, n]) => `${f} ${n}`);
    reasons.push(`data faults: ${classes.join(', ')}`);
  }
  if (leak.status === 'leak') reasons.push(`leak: ${leak.reasons.join('; ')}`);
  if (leak.status === 'error') reasons.push(`leak check failed: ${leak.reasons.join('; ')}`);
  const conns = r.connections;
  // Nothing measured is no pass: a stop before the first connection (during a --start-at wait).
  if (conns.started === 0) reasons.push(r.stoppedEarly ? 'stopped before any connection was opened: nothing was measured' : 'no connection was opened');
  else if (conns.connected === 0 && (conns.errored > 0 || unreachable)) {
    // A wrong port or a server that is down: modes that never wait for the connect (connect-abort)
    // would otherwise pass on their own, even when they are all the run has.
    const e = r.errors;
    const why = (Object.entries({ refused: e.refused, 'timed out': e.timeout, reset: e.reset, other: e.other }) as [string, number][])
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${k}`);
    if (why.length === 0) why.push('none waited for its connect, and one connect after the run was refused');
    reasons.push(`no connection reached the server (${why.join(', ')})`);
  } else if (conns.ok === 0) reasons.push('no connection completed its plan');
  else {
    // Modes that never wait for an echo complete against a server that resets every connection
    // (one at its limit): judge those that read echoes on their own.
    const modes = Object.entries(conns.byMode) as [DisconnectMode, { started: number; ok: number }][];
    const echoed = modes.filter(([m]) => !NO_ECHO.includes(m));
    const started = echoed.reduce((a, [, b]) => a + b.started, 0);
    if (started > 0 && echoed.every(([, b]) => b.ok === 0)) {
      const others = modes.filter(([m, b]) => NO_ECHO.includes(m) && b.ok > 0).map(([m]) => m);
      reasons.push(`no connection that reads an echo completed its plan (${started} started; only ${others.join(', ')} did, which never wait for one)`);
    }
  }
  return [...reasons, ...assertionReasons(r)];
}

function assertionReasons(r: FloodResult): string[] {
  return r.assertions.filter((a) => !a.ok).map((a) => `assertion failed: ${a.expr} (actual ${a.shown})`);
}

/**
 * What "no data fault" covers, in words, for the reports: every echo verified, or (when messages
 * got no echo, their connections having failed or been cut off) only what came back.
 */
export function noFaultDetail(messages: { sent: number; verified: number }): string {
  if (messages.verified === 0) return 'nothing came back to verify';
  const missing = messages.sent - messages.verified;
  if (missing <= 0) return 'every echoed byte verified';
  return `every byte that came back verified, but ${formatCount(missing)} of ${formatCount(messages.sent)} messages sent got no echo (their connections ended first)`;
}

/** Connections open at once at most: a plan of fewer connections in all never opens more. */
export function connectionsAtOnce(p: { connections: number; total: number | null }): number {
  return p.total === null ? p.connections : Math.min(p.connections, p.total);
}

/** The value of an assertion metric in a result (null: not measured). */
export function measure(r: FloodResult, m: AssertMetric): number | null {
  const rt = r.latencyUs.roundTrip;
  const ct = r.latencyUs.connect;
  switch (m) {
    case 'leaks': return r.leak.leaks;
    case 'staleCompletions': return r.leak.after ? r.leak.after.staleCompletions : null;
    case 'dataErrors':
    case 'faults': return r.faults.total;
    case 'lost': case 'corrupted': case 'reordered': case 'duplicated': case 'foreign': case 'truncated': case 'stalled':
      return r.faults[m];
    case 'errors': return r.errors.total;
    case 'resets': return r.errors.reset;
    case 'refused': return r.errors.refused;
    case 'timeouts': return r.errors.timeout;
    case 'connections': return r.connections.ok + r.connections.faulted + r.connections.errored;
    case 'ok': return r.connections.ok;
    case 'messages': return r.messages.verified;
    case 'msgsPerSec': return r.messages.perSec;
    case 'unsent': return r.messages.unsent; // open loop only
    case 'p50': return rt.count ? rt.p50 : null;
    case 'p90': return rt.count ? rt.p90 : null;
    case 'p99': return rt.count ? rt.p99 : null;
    case 'p999': return rt.count ? rt.p999 : null;
    case 'max': return rt.count ? rt.max : null;
    case 'connectP50': return ct.count ? ct.p50 : null;
    case 'connectP99': return ct.count ? ct.p99 : null;
    case 'connectMax': return ct.count ? ct.max : null;
  }
}
