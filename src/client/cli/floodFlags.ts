/**
 * The flood's command line, read: each flag given turns from a string into its runFlood() option
 * (`10k`, `30s`, `16-4096`, `graceful=3,idle`). Nothing is bounded or defaulted here;
 * resolveFloodOptions() does that, for the command and library callers alike.
 */
import { usageError } from '../../errors.js';
import type { BackendName, Lifetime, ServerOptions } from '../../server/index.js';
import { parseBytes, parseCount, parseDurationMs, parseInteger, parseRange, parseRate } from '../../units.js';
import type { FloodOptions } from '../options.js';
import type { Mix } from '../run/scenarios.js';
import { checkShard, parseShard, type Shard } from '../shard.js';
import { parseSources } from '../sourceAddresses.js';
import { parseStartAt } from '../startAt.js';

/** The flags as commander hands them over: strings, present only when given. */
export interface FloodFlags {
  connections?: string;
  total?: string;
  duration?: string;
  stages?: string;
  rate?: string;
  msgRate?: string;
  pipeline?: string;
  messages?: string;
  size?: string;
  split?: boolean;
  mix?: string;
  seed?: string;
  workers?: string;
  timeout?: string;
  hold?: string;
  stats?: string;
  json?: boolean;
  report?: string;
  assert?: string;
  progress: boolean;
  backend?: string;
  lifetime?: string;
  sendBuffer?: string;
  profile?: string;
  transport?: string;
  shard?: string;
  shardIndex?: string;
  shardCount?: string;
  startAt?: string;
  source?: string;
  interval?: string;
  out?: string;
}

/** Turns the command line into runFlood() options. Throws UsageError on a value it cannot read. */
export function floodOptionsFromFlags(target: string | undefined, f: FloodFlags): FloodOptions {
  const o: FloodOptions = {};
  if (target !== undefined) o.target = target;
  if (f.connections !== undefined) o.connections = parseCount('--connections', f.connections);
  if (f.total !== undefined) o.total = parseCount('--total', f.total);
  if (f.duration !== undefined) o.durationMs = parseDurationMs('--duration', f.duration, 's');
  if (f.stages !== undefined) o.stages = parseStages('--stages', f.stages);
  if (f.rate !== undefined) o.rate = parseRate('--rate', f.rate);
  if (f.msgRate !== undefined) {
    // A rate (`20k`) or rate stages (`10s:1000,30s:5000,10s:0`).
    if (f.msgRate.includes(':')) o.msgStages = parseStages('--msg-rate', f.msgRate).map((s) => ({ durationMs: s.durationMs, rate: s.target }));
    else o.msgRate = parseCount('--msg-rate', f.msgRate);
  }
  if (f.pipeline !== undefined) o.pipeline = parseCount('--pipeline', f.pipeline);
  if (f.messages !== undefined) o.messages = parseRange('--messages', f.messages, parseCount);
  if (f.size !== undefined) o.size = parseRange('--size', f.size, parseBytes);
  if (f.split) o.split = true;
  if (f.mix !== undefined) o.mix = parseMix(f.mix);
  if (f.seed !== undefined) o.seed = parseInteger('--seed', f.seed);
  if (f.workers !== undefined) o.workers = parseCount('--workers', f.workers);
  if (f.timeout !== undefined) o.timeoutMs = parseDurationMs('--timeout', f.timeout, 's');
  if (f.hold !== undefined) o.idleHoldMs = parseRange('--hold', f.hold, (name, raw) => parseDurationMs(name, raw, 's'));
  if (f.stats !== undefined) o.stats = f.stats;
  if (f.assert !== undefined) o.assert = f.assert;
  if (f.interval !== undefined) o.intervalMs = parseDurationMs('--interval', f.interval, 's');
  if (f.transport !== undefined) o.transport = f.transport as FloodOptions['transport'];
  if (f.profile !== undefined) o.profile = f.profile as FloodOptions['profile'];
  const shard = shardFromFlags(f);
  if (shard) o.shard = shard;
  if (f.startAt !== undefined) o.startAt = parseStartAt(f.startAt);
  if (f.source !== undefined) o.source = parseSources(f.source);
  if (f.backend !== undefined || f.lifetime !== undefined || f.sendBuffer !== undefined) o.server = embeddedServerOptions(f);
  return o;
}

/** --shard i/N, or --shard-index i with --shard-count N (both 1-based); bounds are checked by the options. */
function shardFromFlags(f: FloodFlags): Shard | null {
  if (f.shard !== undefined) {
    if (f.shardIndex !== undefined || f.shardCount !== undefined) throw usageError('--shard', 'not with --shard-index/--shard-count (say it once)', f.shard);
    return parseShard('--shard', f.shard);
  }
  if (f.shardIndex === undefined && f.shardCount === undefined) return null;
  if (f.shardIndex === undefined || f.shardCount === undefined) throw usageError('--shard-index', '--shard-index and --shard-count go together');
  const shard = { index: parseCount('--shard-index', f.shardIndex), count: parseCount('--shard-count', f.shardCount) };
  return checkShard('--shard', shard, { index: '--shard-index', count: '--shard-count' });
}

/** `10s:1000,30s:5000,10s:0` -> stages: a duration and a count (connections, or messages a second) each. */
export function parseStages(flag: string, raw: string): NonNullable<FloodOptions['stages']> {
  return raw.split(',').map((part) => {
    const m = /^\s*([^:]+):([^:]+)\s*$/.exec(part);
    if (!m) throw usageError(flag, 'not duration:target stages like 10s:1000,30s:5000,10s:0', part);
    return { durationMs: parseDurationMs(flag, m[1]!, 's'), target: parseCount(flag, m[2]!) };
  });
}

/** --backend, --lifetime (commander has already checked them against their choices) and --send-buffer. */
function embeddedServerOptions(f: FloodFlags): Partial<ServerOptions> {
  const server: Partial<ServerOptions> = {};
  if (f.backend !== undefined) server.backend = f.backend as BackendName | 'auto';
  if (f.lifetime !== undefined) server.lifetime = f.lifetime as Lifetime;
  if (f.sendBuffer !== undefined) server.sendBuffer = parseBytes('--send-buffer', f.sendBuffer);
  return server;
}

/** `graceful=3,half-close=1` or `graceful,connect-rst` (weight 1 each) -> the weights named. */
export function parseMix(raw: string): Partial<Mix> {
  const mix: Record<string, number> = {};
  for (const part of raw.split(',')) {
    const [name, weight, extra] = part.split('=').map((s) => s.trim());
    if (!name || extra !== undefined) throw usageError('--mix', 'not mode=weight', part);
    // Decimal only: Number() would also take 0x10 or 1e1.
    const w = weight === undefined ? 1 : /^(\d+(\.\d*)?|\.\d+)$/.test(weight) ? Number(weight) : NaN;
    if (Number.isNaN(w)) throw usageError('--mix', `weight of ${name} must be a number >= 0`, weight);
    mix[name] = w;
  }
  return mix as Partial<Mix>;
}
