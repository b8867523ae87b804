import { availableParallelism } from 'node:os';
import { usageError } from '../errors.js';
import { FRAME_HEADER_BYTES, MAX_FRAME_BYTES } from './verify/frame.js';
import { isIP } from 'node:net';
import { ioUringAvailable, nativeClientTransportAvailable } from '../native/platform.js';
import type { ServerOptions, ServerStats } from '../server/index.js';
import type { TransportName } from './transport/transport.js';
import { parseAssertions, type Assertion } from './verdict/assertions.js';
import { checkMix, DEFAULT_MIX, DISCONNECT_MODES, type Mix, type PlanOptions } from './run/scenarios.js';
import { parseTarget, UNLIMITED, type Range } from '../units.js';

/** Most messages one connection may be planned to send. */
export const MAX_MESSAGES = 1_000_000;

/** Options of runFlood(). Every field is optional; see the defaults below. */
export interface FloodOptions {
  /** `host:port` or {host, port}. Omitted: start an embedded server on an ephemeral port. */
  target?: string | { host: string; port: number };
  /**
   * Where the leak verdict reads the server's counters: a `/stats` URL or a function returning
   * them. With an embedded server its counters are read directly and this is ignored. Without
   * it, the leak check is reported as not run.
   */
  stats?: string | (() => ServerStats | Promise<ServerStats>);
  /** Options of the embedded server (used only without a target). */
  server?: Partial<ServerOptions>;
  /** Connections open at the same time. Default 1000. */
  connections?: number;
  /** Connections to run in all. Default: `connections`, unless `durationMs` is given. */
  total?: number;
  /** Keep opening connections this long (ms). */
  durationMs?: number;
  /** New connections per second, over all threads; 0 = as fast as possible. */
  rate?: number;
  /** Messages (frames) per connection. Default 1-20. */
  messages?: number | Range;
  /** Frame size in bytes, header included (min 16). Default 16-4096. */
  size?: number | Range;
  /** Cut writes at random points to exercise the server's partial reads. */
  split?: boolean;
  /** Weights of the disconnect modes. Default: all of them. */
  mix?: Partial<Mix>;
  /** PRNG seed: the same seed gives connection i the same plan. Default: random. */
  seed?: number;
  /** Client threads; 0 runs the connections on the calling thread. Default min(4, cores). */
  workers?: number;
  /** How long an echo may make no progress before it counts as stalled (ms). Default 5000. */
  timeoutMs?: number;
  /** Checks such as `leaks==0,dataErrors==0,p99<20ms`; a failed one fails the run. */
  assert?: string;
  /** How long to wait for the server's counters to settle after the flood (ms). Default 15000. */
  settleTimeoutMs?: number;
  /** How long idle-mode connections hold (ms). Default 100-1000. */
  idleHoldMs?: number | Range;
  /** Bytes an rst-send-pending connection writes without reading. Default 1 MiB. */
  pendingBytes?: number;
  /**
   * How client threads reach the network: `native` (non-blocking sockets over epoll, Linux),
   * `net` (Node's net module, every OS) or `auto` (native where it runs, else net). Default auto.
   */
  transport?: TransportName | 'auto';
}

/** What each client thread needs: plain data, safe to post to a worker. */
export interface EngineConfig extends PlanOptions {
  host: string;
  port: number;
  connections: number;
  total: number;
  durationMs: number;
  rate: number;
  timeoutMs: number;
  maxFrameBytes: number;
  transport: TransportName;
}

export interface ResolvedFloodOptions extends EngineConfig {
  embedded: boolean;
  workers: number;
  settleTimeoutMs: number;
  assertions: Assertion[];
  assertText: string;
}

/** `max` omitted: no upper bound (but a whole number beyond 2^53 is not exact, and is refused). */
function int(name: string, v: number | undefined, dflt: number, min: number, max?: number): number {
  const x = v ?? dflt;
  if (!Number.isSafeInteger(x) || x < min || (max !== undefined && x > max)) {
    throw usageError(name, max === undefined ? `must be a whole number >= ${min}` : `must be a whole number in ${min}..${max}`, x);
  }
  return x;
}

function range(name: string, v: number | Range | undefined, dflt: Range, min: number, max: number): Range {
  const r = v === undefined ? dflt : typeof v === 'number' ? { min: v, max: v } : v;
  int(name, r.min, 0, min, max);
  int(name, r.max, 0, min, max);
  if (r.min > r.max) throw usageError(name, 'minimum above maximum', `${r.min}-${r.max}`);
  return { min: r.min, max: r.max };
}

/** Validates and completes FloodOptions. Throws UsageError on the first bad value. */
export function resolveFloodOptions(o: FloodOptions = {}): ResolvedFloodOptions {
  const target = typeof o.target === 'string' ? parseTarget(o.target) : o.target;
  if (target && (typeof target.host !== 'string' || !target.host)) throw usageError('target', 'the host is empty', target.host);
  if (target) int('target port', target.port, 0, 1, 65535);
  const connections = int('--connections', o.connections, 1000, 1, 1_000_000);
  const durationMs = o.durationMs ?? 0;
  if (!(durationMs >= 0) || !Number.isFinite(durationMs)) throw usageError('--duration', 'must be a finite time >= 0', durationMs);
  const total = int('--total', o.total, durationMs > 0 ? UNLIMITED : connections, 1);
  const rate = o.rate ?? 0;
  if (!(rate >= 0) || !Number.isFinite(rate)) throw usageError('--rate', 'must be a number >= 0', rate);
  const size = range('--size', o.size, { min: 16, max: 4096 }, FRAME_HEADER_BYTES, MAX_FRAME_BYTES);
  const messages = range('--messages', o.messages, { min: 1, max: 20 }, 1, MAX_MESSAGES);
  const mix = { ...DEFAULT_MIX, ...(o.mix ? Object.fromEntries(DISCONNECT_MODES.map((m) => [m, o.mix![m] ?? 0])) : {}) } as Mix;
  for (const m of DISCONNECT_MODES) {
    if (!(mix[m] >= 0) || !Number.isFinite(mix[m])) throw usageError('--mix', `weight of ${m} must be a number >= 0`, mix[m]);
  }
  const seed = o.seed ?? Math.floor(Math.random() * 0x7fffffff);
  int('--seed', seed, 0, 0, 0xffffffff);
  const assertText = o.assert ?? '';
  const host = target?.host ?? '127.0.0.1';
  return {
    host,
    port: target?.port ?? 0,
    embedded: !target,
    connections,
    total,
    durationMs,
    rate,
    messages,
    size,
    maxFrameBytes: size.max,
    split: o.split ?? false,
    mix: checkMix(mix),
    seed,
    workers: int('--workers', o.workers, Math.min(4, availableParallelism()), 0, 64),
    timeoutMs: int('--timeout', o.timeoutMs === undefined ? undefined : Math.round(o.timeoutMs), 5000, 1, 3600e3),
    settleTimeoutMs: int('settleTimeoutMs', o.settleTimeoutMs, 15_000, 0, 3600e3),
    idleHoldMs: range('idleHoldMs', o.idleHoldMs, { min: 100, max: 1000 }, 0, 3600e3),
    pendingBytes: int('pendingBytes', o.pendingBytes, 1024 * 1024, 1, 1024 ** 3),
    assertions: parseAssertions(assertText),
    assertText,
    transport: resolveTransport(o.transport ?? 'auto', host),
  };
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
  if (!native) throw usageError('--transport', 'needs Linux; use --transport net', requested);
  if (isIP(host) === 0) throw usageError('--transport', `${requested} needs the target as an IPv4 or IPv6 address, not a name`, host);
  if (requested === 'uring' && !ioUringAvailable()) {
    throw usageError('--transport', 'io_uring is not available here (kernel too old, or blocked); use --transport native', requested);
  }
  return requested;
}
