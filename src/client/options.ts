/**
 * runFlood()'s options: the one place where every option (and so every flag of `iocp-bench
 * flood`) is validated and defaulted. The command only turns strings into these values; a library
 * caller and the command get the same defaults, bounds and messages.
 */
import { isIP } from 'node:net';
import { usageError } from '../errors.js';
import { ioUringAvailable, nativeClientTransportAvailable } from '../native/platform.js';
import type { ServerOptions, ServerStats } from '../server/index.js';
import { formatMs, parseTarget, UNLIMITED, type Range } from '../units.js';
import { FLOOD_DEFAULTS, defaultWorkers } from './defaults.js';
import { PROFILE_NAMES, PROFILES, type ProfileName } from './profiles.js';
import type { TransportName } from './transport/transport.js';
import { parseAssertions, type Assertion } from './verdict/assertions.js';
import { FRAME_HEADER_BYTES, MAX_FRAME_BYTES } from './verify/frame.js';
import { DEFAULT_MIX, DISCONNECT_MODES, type Mix, type PlanOptions } from './run/scenarios.js';
import { checkShard, shardSegment, type Shard, type ShardedPlan } from './shard.js';
import { checkSources } from './sourceAddresses.js';
import { checkStartAt } from './startAt.js';
import { RateSchedule, type RateStage } from './run/rateSchedule.js';

/** Options of runFlood(). Every field is optional; FLOOD_DEFAULTS has the defaults. */
export interface FloodOptions {
  /** `host:port` or {host, port}. Omitted: start an embedded server on an ephemeral port. */
  target?: string | { host: string; port: number };
  /**
   * Where the leak verdict reads the server's counters: an http(s) `/stats` URL or a function
   * returning them. Only with a target: an embedded server's counters are read directly. Without
   * it, the leak check is reported as not run.
   */
  stats?: string | (() => ServerStats | Promise<ServerStats>);
  /** Options of the embedded server: only without a target. */
  server?: Partial<ServerOptions>;
  /** Connections open at the same time, 1 to 1,000,000. Default 1000. */
  connections?: number;
  /** Connections to run in all, 1 to 2,147,483,646. Default: `connections`, unless `durationMs` is given (then no limit). */
  total?: number;
  /** Keep opening connections this long (ms), 1 ms to 24 h. */
  durationMs?: number;
  /**
   * Ramp the connections open at once, as k6 stages do: each stage moves the target linearly from
   * the previous one's (0 at the start) to its own over its duration. The run lasts their sum;
   * `connections` becomes their highest target. Not with durationMs, total or connections.
   */
  stages?: Stage[];
  /** New connections per second, over all threads; 0 = as fast as possible. */
  rate?: number;
  /**
   * Open loop: messages per second over the whole run, each sent at its intended time on a fixed
   * schedule whether or not earlier echoes came back (README, "Open loop: --msg-rate"); 1 to
   * 100,000,000. Only graceful connections, no split writes. Default 0: closed loop.
   */
  msgRate?: number;
  /**
   * Open loop with a ramped rate: each stage moves the message rate linearly from the previous
   * one's (0 at the start) to its own over its duration, as k6's ramping arrival rate does
   * (`--msg-rate 10s:1000,30s:5000,10s:0`). The run lasts their sum. Not with msgRate or
   * durationMs; with `stages`, both must last as long.
   */
  msgStages?: RateStage[];
  /** With msgRate: frames one connection may have in flight at once, 1 to 1024. Default 1. */
  pipeline?: number;
  /** Messages (frames) per connection, 1 to 1,000,000. Default 1-20. */
  messages?: number | Range;
  /** Frame size in bytes, header included, 16 to 16 MiB. Default 16-4096. */
  size?: number | Range;
  /** Cut writes at random points to exercise the server's partial reads. */
  split?: boolean;
  /** Weights of the disconnect modes; modes left out weigh 0. Default: all of them. */
  mix?: Partial<Mix>;
  /** PRNG seed (0 to 2^32 - 1): the same seed gives connection i the same plan. Default: random. */
  seed?: number;
  /** Client threads, 0 to 64; 0 runs the connections on the calling thread. Default min(4, cores). */
  workers?: number;
  /** How long an echo may make no progress before it counts as stalled (ms, 1 ms to 1 h). Default 5000. */
  timeoutMs?: number;
  /** Checks such as `leaks==0,dataErrors==0,p99<20ms`; a failed one fails the run. */
  assert?: string;
  /** How long to wait for the server's counters to settle after the flood (whole ms, up to 1 h). Default 15000. */
  settleTimeoutMs?: number;
  /** How long idle-mode connections hold (whole ms, up to 1 h). Default 100-1000. */
  idleHoldMs?: number | Range;
  /** Bytes an rst-send-pending connection writes without reading, up to 1 GiB. Default 1 MiB. */
  pendingBytes?: number;
  /**
   * How client threads reach the network: `uring` (native, batched through io_uring), `native`
   * (non-blocking sockets over epoll, Linux), `net` (Node's net module, every OS) or `auto`
   * (uring, else native, where they run; else net). Default auto.
   */
  transport?: TransportName | 'auto';
  /**
   * A preset of these options (profiles.ts) that options given here override: `stress` hunts
   * reference-counting bugs for 20 s (README, "Bug zoo"). Default `default` (no preset).
   */
  profile?: ProfileName;
  /**
   * Run only segment `index` (1-based) of `count` of the plan (shard.ts): N shards with the same
   * options and seed together run the unsharded flood. Needs a target and a seed; not with stats
   * (the leak check runs once over all shards: `iocp-bench merge --stats`).
   */
  shard?: Shard;
  /** Wait until this time (ms since the Unix epoch) once set up, then start: shards start together. */
  startAt?: number;
  /**
   * Local addresses to bind the connections to before they connect, round robin by connection id
   * (one address pair has at most ~28k-64k ephemeral ports). Same address family as the target.
   */
  source?: string[];
  /**
   * Length of one interval sample (ms, 10 ms to 1 h): the run's counters and the round-trip
   * latencies of each interval come as a `sample` event and in the result's `samples`. Default 1000.
   */
  intervalMs?: number;
}

/** What each client thread needs: plain data, safe to post to a worker. */
/** One stage of --stages: reach `target` connections at once by the end of `durationMs`. */
export interface Stage {
  durationMs: number;
  target: number;
}

export interface EngineConfig extends PlanOptions {
  host: string;
  port: number;
  connections: number;
  total: number;
  durationMs: number;
  /** The connection target over time (empty: `connections` throughout). */
  stages: Stage[];
  rate: number;
  /** Open loop: messages per second over all threads (with msgStages, their mean); 0 = closed loop. */
  msgRate: number;
  /** Open loop: the ramped rate's stages ([] for a constant msgRate, or in closed loop). */
  msgStages: RateStage[];
  /** Open loop: frames one connection may have in flight. */
  pipeline: number;
  timeoutMs: number;
  maxFrameBytes: number;
  transport: TransportName;
  /** The segment of the plan this process runs (null: all of it); ids map through shardId(). */
  shard: Shard | null;
  /** Local addresses connections bind to, by connection id round robin ([]: the OS picks). */
  sources: string[];
}

export interface ResolvedFloodOptions extends EngineConfig {
  /** The whole plan's values before a --shard split (the same as this run's without one). */
  plan: ShardedPlan;
  /** --start-at, ms since the Unix epoch (null: at once). */
  startAt: number | null;
  embedded: boolean;
  /** Options of the embedded server (the profile's, under those given); {} with a target. */
  server: Partial<ServerOptions>;
  profile: ProfileName;
  workers: number;
  settleTimeoutMs: number;
  assertions: Assertion[];
  assertText: string;
  /** Length of one interval sample, ms. */
  intervalMs: number;
}

export { FLOOD_DEFAULTS, defaultWorkers } from './defaults.js';

/** Most messages one connection may be planned to send. */
export const MAX_MESSAGES = 1_000_000;
const MAX_CONNECTIONS = 1_000_000;
const MAX_WORKERS = 64;
const MAX_DURATION_MS = 24 * 3600e3;
/** Longest --timeout, --hold and settle wait. */
const MAX_WAIT_MS = 3600e3;
const MAX_PENDING_BYTES = 1024 ** 3;
/** Most --msg-rate: far beyond what one machine sends, so a rate it cannot reach is a warning, not an error. */
export const MAX_MSG_RATE = 100_000_000;
const MAX_PIPELINE = 1024;
/** Shortest and longest --interval. */
export const MIN_INTERVAL_MS = 10;
const MAX_INTERVAL_MS = 3600e3;

/** Validates and completes FloodOptions. Throws UsageError on the first bad value. */
export function resolveFloodOptions(given: FloodOptions = {}): ResolvedFloodOptions {
  if (given.profile !== undefined && !(PROFILE_NAMES as readonly string[]).includes(given.profile)) {
    throw usageError('--profile', `must be ${PROFILE_NAMES.join(' or ')}`, given.profile);
  }
  const o = applyProfile(given);
  const target = resolveTarget(o.target);
  checkTargetOnly(o, target !== null);
  const host = target?.host ?? '127.0.0.1';
  const stages = resolveStages(o);
  const connections = stages.length
    ? Math.max(1, ...stages.map((s) => s.target))
    : int('--connections', o.connections ?? FLOOD_DEFAULTS.connections, 1, MAX_CONNECTIONS);
  const openLoop = resolveOpenLoop(o, stages);
  const durationMs = stages.length
    ? stages.reduce((sum, s) => sum + s.durationMs, 0)
    : openLoop.msgStages.length ? openLoop.msgStages.reduce((sum, s) => sum + s.durationMs, 0)
    : o.durationMs === undefined ? 0 : duration('--duration', o.durationMs, 1, MAX_DURATION_MS);
  const size = range('--size', o.size ?? FLOOD_DEFAULTS.size, FRAME_HEADER_BYTES, MAX_FRAME_BYTES);
  const assertText = o.assert ?? '';
  const assertions = parseAssertions(assertText);
  if (openLoop.msgRate === 0) {
    // Known now, not after a whole run whose check could only say "not measured".
    const unsent = assertions.find((a) => a.metric === 'unsent');
    if (unsent) throw usageError('--assert', 'unsent is counted only in an open loop (--msg-rate)', unsent.text);
  } else if (given.idleHoldMs !== undefined) {
    throw usageError('--hold', 'not with --msg-rate: an open loop has no idle holders (its connections are all graceful)');
  }
  const plan: ShardedPlan = {
    connections,
    // UNLIMITED itself means "no limit" (a run by time): one below it is the most a run can count.
    total: o.total === undefined ? (durationMs > 0 ? UNLIMITED : connections) : int('--total', o.total, 1, UNLIMITED - 1),
    stages,
    rate: nonNegative('--rate', o.rate ?? FLOOD_DEFAULTS.rate),
    msgRate: openLoop.msgRate,
    msgStages: openLoop.msgStages,
  };
  const shard = resolveShard(o, target !== null);
  const segment = shard ? shardSegment(plan, shard) : plan;
  return {
    host,
    port: target?.port ?? 0,
    embedded: target === null,
    server: target === null ? { ...o.server } : {},
    profile: o.profile ?? 'default',
    connections: segment.connections,
    total: segment.total,
    durationMs,
    stages: segment.stages,
    rate: segment.rate,
    msgRate: segment.msgRate,
    msgStages: segment.msgStages,
    pipeline: openLoop.pipeline,
    messages: range('--messages', o.messages ?? FLOOD_DEFAULTS.messages, 1, MAX_MESSAGES),
    size,
    maxFrameBytes: size.max,
    split: o.split ?? false,
    mix: openLoop.msgRate > 0 ? { ...OPEN_LOOP_MIX } : resolveMix(o.mix),
    seed: int('--seed', o.seed ?? Math.floor(Math.random() * 0x7fffffff), 0, 0xffffffff),
    // No more client threads than connections at once (or in all): a thread with none would idle.
    workers: Math.min(int('--workers', o.workers ?? defaultWorkers(), 0, MAX_WORKERS), segment.connections, segment.total),
    timeoutMs: Math.round(duration('--timeout', o.timeoutMs ?? FLOOD_DEFAULTS.timeoutMs, 1, MAX_WAIT_MS)),
    settleTimeoutMs: wholeMs('settleTimeoutMs', o.settleTimeoutMs ?? FLOOD_DEFAULTS.settleTimeoutMs, 0, MAX_WAIT_MS),
    idleHoldMs: msRange('--hold', o.idleHoldMs ?? FLOOD_DEFAULTS.idleHoldMs, 0, MAX_WAIT_MS),
    pendingBytes: int('pendingBytes', o.pendingBytes ?? FLOOD_DEFAULTS.pendingBytes, 1, MAX_PENDING_BYTES),
    assertions,
    assertText,
    transport: resolveTransport(o.transport ?? FLOOD_DEFAULTS.transport, host),
    shard,
    plan,
    startAt: o.startAt === undefined ? null : checkStartAt(o.startAt),
    sources: o.source === undefined ? [] : checkSources(o.source, host),
    intervalMs: Math.round(duration('--interval', o.intervalMs ?? FLOOD_DEFAULTS.intervalMs, MIN_INTERVAL_MS, MAX_INTERVAL_MS)),
  };
}

/** --shard: needs a target the shards share and a seed they share; the leak check is the merge's. */
function resolveShard(o: FloodOptions, hasTarget: boolean): Shard | null {
  if (o.shard === undefined) return null;
  const shard = checkShard('--shard', o.shard);
  if (!hasTarget) throw usageError('--shard', 'needs a target: the shards share one server');
  if (o.seed === undefined) throw usageError('--shard', 'needs --seed: every shard must run the same plan');
  if (o.stats !== undefined) {
    throw usageError('--stats', 'not with --shard: the other shards\' sessions would look like leaks; run the leak check once, with `iocp-bench merge --stats`');
  }
  return shard;
}

/** --stages: checked, and alone in deciding how many connections and for how long. */
function resolveStages(o: FloodOptions): Stage[] {
  if (o.stages === undefined || o.stages.length === 0) return [];
  for (const [flag, v] of [['--duration', o.durationMs], ['--connections', o.connections], ['--total', o.total]] as const)
    if (v !== undefined) throw usageError(flag, 'not with --stages (the stages set how many connections and for how long)', flag === '--duration' ? formatMs(v) : v);
  if (o.stages.length > 100) throw usageError('--stages', 'at most 100 stages', o.stages.length);
  const total = o.stages.reduce((sum, s) => sum + s.durationMs, 0);
  if (total > MAX_DURATION_MS) throw usageError('--stages', 'their durations add up to more than 24h', total);
  const out = o.stages.map((s) => ({
    durationMs: Math.round(duration('--stages', s.durationMs, 1, MAX_DURATION_MS)),
    target: int('--stages', s.target, 0, MAX_CONNECTIONS),
  }));
  if (out.every((s) => s.target === 0)) throw usageError('--stages', 'every stage has target 0: no connection would open', out.map((s) => s.target).join(','));
  return out;
}

/** The connection target `elapsedMs` into a staged run: linear within each stage, 0 before the first. */
export function stageTarget(stages: Stage[], elapsedMs: number): number {
  let from = 0;
  let at = 0;
  for (const s of stages) {
    if (elapsedMs < at + s.durationMs) return Math.round(from + ((s.target - from) * (elapsedMs - at)) / s.durationMs);
    from = s.target;
    at += s.durationMs;
  }
  return from;
}

/** `o` on top of its profile: options given win; the profile's server options only for the embedded server. */
function applyProfile(o: FloodOptions): FloodOptions {
  const p = PROFILES[o.profile ?? 'default'];
  const openLoop = (o.msgRate ?? 0) > 0 || (o.msgStages?.length ?? 0) > 0;
  if (openLoop && (p.flood.split || p.flood.mix !== undefined)) {
    throw usageError(
      '--profile',
      `${o.profile} ends connections abruptly mid-frame, which an open loop (--msg-rate) does not (it runs graceful connections, frames written whole); run it without --msg-rate`,
      o.profile,
    );
  }
  // Stages decide how many connections and for how long: the profile's count and duration step aside.
  const preset: FloodOptions = { ...p.flood };
  if ((o.stages?.length ?? 0) > 0) {
    delete preset.connections;
    delete preset.durationMs;
  }
  const merged: FloodOptions = { ...preset, ...o };
  if (o.target === undefined && Object.keys(p.server).length > 0) merged.server = { ...p.server, ...o.server };
  // The node backend leaves send buffers to the OS (validate.ts refuses --send-buffer there). A
  // profile's, not given explicitly, is refused here, where the profile can be named.
  if (o.target === undefined && o.server?.backend === 'node' && p.server.sendBuffer && o.server.sendBuffer === undefined) {
    throw usageError(
      '--profile',
      `${o.profile} sets the embedded server's --send-buffer to ${p.server.sendBuffer} to keep its sends pending, which needs a completion backend (epoll or iocp), ` +
        'not --backend node; add --send-buffer 0 to run it on node without',
      o.profile,
    );
  }
  return merged;
}

/** `host:port` or {host, port} -> a checked target; null: the embedded server. */
function resolveTarget(t: FloodOptions['target']): { host: string; port: number } | null {
  if (t === undefined) return null;
  const target = typeof t === 'string' ? parseTarget(t) : t;
  if (typeof target.host !== 'string' || !target.host) throw usageError('target', 'the host is empty', target.host);
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
    throw usageError('target', 'port must be a whole number in 1..65535', target.port);
  }
  return { host: target.host, port: target.port };
}

/** --stats needs a target; --backend and --lifetime (the embedded server's options) need none. */
function checkTargetOnly(o: FloodOptions, hasTarget: boolean): void {
  if (o.stats !== undefined && !hasTarget) {
    throw usageError('--stats', 'needs a target: the embedded server is read directly', typeof o.stats === 'string' ? o.stats : undefined);
  }
  if (typeof o.stats === 'string' && !/^https?:\/\//.test(o.stats)) throw usageError('--stats', 'not an http:// URL', o.stats);
  if (o.server !== undefined && hasTarget) {
    // Name the flags given: the server options set (a profile's are not applied with a target).
    const names: Record<string, string> = { backend: '--backend', lifetime: '--lifetime', sendBuffer: '--send-buffer' };
    const given = Object.keys(o.server).filter((k) => o.server![k as keyof typeof o.server] !== undefined).map((k) => names[k] ?? k);
    const flags = given.length ? given.join(', ') : '--backend, --lifetime, --send-buffer';
    throw usageError(flags, 'for the embedded server only, not with a target', typeof o.target === 'string' ? o.target : undefined);
  }
}

/** Open loop runs graceful connections only: their frames follow the schedule, then a FIN. */
const OPEN_LOOP_MIX: Mix = Object.fromEntries(DISCONNECT_MODES.map((m) => [m, m === 'graceful' ? 1 : 0])) as Mix;

/**
 * --msg-rate (0 = closed loop) and --pipeline. Open loop runs graceful connections only (a mix
 * naming another mode is refused) and whole writes (a split frame's second half goes a turn later,
 * which a pipelined frame behind it would overtake).
 */
function resolveOpenLoop(o: FloodOptions, stages: Stage[]): { msgRate: number; msgStages: RateStage[]; pipeline: number } {
  const msgStages = resolveMsgStages(o, stages);
  const msgRate = msgStages.length ? new RateSchedule(0, msgStages).total / (msgStages.reduce((sum, s) => sum + s.durationMs, 0) / 1000) : (o.msgRate ?? FLOOD_DEFAULTS.msgRate);
  if (msgRate !== 0 && !msgStages.length) int('--msg-rate', msgRate, 1, MAX_MSG_RATE);
  if (msgRate === 0) {
    if (o.pipeline !== undefined) throw usageError('--pipeline', 'only with --msg-rate', o.pipeline);
    return { msgRate: 0, msgStages: [], pipeline: FLOOD_DEFAULTS.pipeline };
  }
  const pipeline = int('--pipeline', o.pipeline ?? FLOOD_DEFAULTS.pipeline, 1, MAX_PIPELINE);
  if (o.split) throw usageError('--split', 'not with --msg-rate: open-loop frames are written whole');
  const mix = resolveMix(o.mix);
  const other = DISCONNECT_MODES.find((m) => m !== 'graceful' && mix[m] > 0);
  if (o.mix !== undefined && other !== undefined) throw usageError('--mix', 'with --msg-rate only graceful connections run', other);
  return { msgRate, msgStages, pipeline };
}

/** --msg-rate as stages: checked; they decide how long the run lasts (with --stages, as long). */
function resolveMsgStages(o: FloodOptions, stages: Stage[]): RateStage[] {
  if (o.msgStages === undefined || o.msgStages.length === 0) return [];
  if (o.msgRate !== undefined) throw usageError('--msg-rate', 'a rate or stages, not both', o.msgRate);
  if (o.durationMs !== undefined) throw usageError('--duration', 'not with --msg-rate stages (they set how long the run lasts)', formatMs(o.durationMs));
  if (o.msgStages.length > 100) throw usageError('--msg-rate', 'at most 100 stages', o.msgStages.length);
  const out = o.msgStages.map((s) => ({
    durationMs: Math.round(duration('--msg-rate', s.durationMs, 1, MAX_DURATION_MS)),
    rate: int('--msg-rate', s.rate, 0, MAX_MSG_RATE),
  }));
  const total = out.reduce((sum, s) => sum + s.durationMs, 0);
  if (total > MAX_DURATION_MS) throw usageError('--msg-rate', 'its stages add up to more than 24h', total);
  if (out.every((s) => s.rate === 0)) throw usageError('--msg-rate', 'every stage has rate 0: nothing would be sent', out.map((s) => s.rate).join(','));
  const connectionMs = stages.reduce((sum, s) => sum + s.durationMs, 0);
  if (stages.length && connectionMs !== total) {
    throw usageError('--msg-rate', `its stages last ${formatMs(total)}, the --stages ${formatMs(connectionMs)}: both must last as long`);
  }
  return out;
}

/** A given mix names the modes it wants (the others weigh 0); none given: every mode. */
function resolveMix(given: Partial<Mix> | undefined): Mix {
  if (given === undefined) return { ...DEFAULT_MIX };
  for (const name of Object.keys(given)) {
    if (!(DISCONNECT_MODES as readonly string[]).includes(name)) throw usageError('--mix', `unknown mode; modes: ${DISCONNECT_MODES.join(', ')}`, name);
  }
  const mix = Object.fromEntries(DISCONNECT_MODES.map((m) => [m, given[m] ?? 0])) as Mix;
  for (const m of DISCONNECT_MODES) {
    if (!(mix[m] >= 0) || !Number.isFinite(mix[m])) throw usageError('--mix', `weight of ${m} must be a number >= 0`, mix[m]);
  }
  if (!(DISCONNECT_MODES.some((m) => mix[m] > 0))) throw usageError('--mix', 'at least one mode needs a weight above 0');
  return mix;
}

/** A whole number in min..max (`max` omitted: no upper bound, but beyond 2^53 it is not exact). */
function int(name: string, v: number, min: number, max?: number): number {
  if (!Number.isSafeInteger(v) || v < min || (max !== undefined && v > max)) {
    throw usageError(name, max === undefined ? `must be a whole number >= ${min}` : `must be a whole number in ${min}..${max}`, v);
  }
  return v;
}

function nonNegative(name: string, v: number): number {
  if (!(v >= 0) || !Number.isFinite(v)) throw usageError(name, 'must be a number >= 0', v);
  return v;
}

/** A single value or a range of whole numbers, each end in min..max. */
function range(name: string, v: number | Range, min: number, max: number): Range {
  const r = typeof v === 'number' ? { min: v, max: v } : v;
  int(name, r.min, min, max);
  int(name, r.max, min, max);
  if (r.min > r.max) throw usageError(name, 'minimum above maximum', `${r.min}-${r.max}`);
  return { min: r.min, max: r.max };
}

/** A time in ms within min..max. */
function duration(name: string, v: number, min: number, max: number): number {
  if (!(v >= min && v <= max)) throw usageError(name, `must be a duration in ${formatMs(min)}..${formatMs(max)}`, formatMs(v));
  return v;
}

function wholeMs(name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw usageError(name, `must be whole milliseconds in ${formatMs(min)}..${formatMs(max)}`, formatMs(v));
  }
  return v;
}

/** A single time or a range of times in whole ms, each end in min..max. */
function msRange(name: string, v: number | Range, min: number, max: number): Range {
  const r = typeof v === 'number' ? { min: v, max: v } : v;
  wholeMs(name, r.min, min, max);
  wholeMs(name, r.max, min, max);
  if (r.min > r.max) throw usageError(name, 'minimum above maximum', `${formatMs(r.min)}-${formatMs(r.max)}`);
  return { min: r.min, max: r.max };
}

/**
 * auto: where the native transports run and the target is an address literal (they resolve no
 * names), uring if io_uring passes its probe here, else native; net otherwise.
 */
export function resolveTransport(requested: TransportName | 'auto', host: string): TransportName {
  if (requested !== 'auto' && requested !== 'uring' && requested !== 'native' && requested !== 'net') {
    throw usageError('--transport', 'must be auto, uring, native or net', requested);
  }
  const native = nativeClientTransportAvailable();
  if (requested === 'net') return 'net';
  if (requested === 'auto') {
    if (!native || isIP(host) === 0) return 'net';
    return ioUringAvailable() ? 'uring' : 'native';
  }
  if (!native) throw usageError('--transport', 'needs Linux on x86-64; use --transport net', requested);
  if (isIP(host) === 0) throw usageError('--transport', `${requested} needs the target as an IPv4 or IPv6 address, not a name`, host);
  if (requested === 'uring' && !ioUringAvailable()) {
    throw usageError('--transport', 'io_uring is not available here (kernel too old, or blocked); use --transport native', requested);
  }
  return requested;
}
