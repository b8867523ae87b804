/**
 * Parsers for option values with unit suffixes. Each takes the option's name so that the one-line
 * usage error says which flag was wrong. All return plain numbers in a fixed base unit. They read
 * values; bounds are checked where options are validated (server.ts, client/options.ts), except
 * for times no options object holds (the server command's --duration), which parseDurationMs
 * bounds when given limits.
 */
import { usageError } from './errors.js';

export interface Range {
  min: number;
  max: number;
}

/**
 * "No limit" for a count of connections (the total of a run bound by --duration). The flood's
 * threads claim connection indices through one Int32, so it is also the most one flood can run.
 */
export const UNLIMITED = 0x7fffffff;

const COUNT_UNITS: Record<string, number> = { '': 1, k: 1e3, m: 1e6 };
const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2 };
const MS_UNITS: Record<string, number> = { us: 1e-3, 'µs': 1e-3, ms: 1, s: 1e3, m: 60e3, min: 60e3, h: 3600e3 };

/** `raw` as a number in `units`; `text` (by default `raw`) is what is parsed, where it is not what was given. */
function parseWithUnit(name: string, raw: string, units: Record<string, number>, what: string, text = raw): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-zµ]*)\s*$/i.exec(text);
  const mult = m ? units[m[2]!.toLowerCase()] : undefined;
  if (!m || mult === undefined) throw usageError(name, `not ${what}`, raw);
  return Number(m[1]) * mult;
}

function requireInteger(name: string, raw: string, v: number): number {
  if (!Number.isInteger(v)) throw usageError(name, 'not a whole number', raw);
  return v;
}

/** `1000`, `10k`, `1.5k`, `2m` -> integer count (k = 1000). */
export function parseCount(name: string, raw: string): number {
  return requireInteger(name, raw, Math.round(parseWithUnit(name, raw, COUNT_UNITS, 'a count like 1000 or 10k') * 1e6) / 1e6);
}

/** `1000`, `2.5`, `0.5`, `1.5k` -> a rate per second, fractions kept (k = 1000). */
export function parseRate(name: string, raw: string): number {
  return parseWithUnit(name, raw, COUNT_UNITS, 'a rate like 100, 0.5 or 10k');
}

/** `4096`, `4k`, `1MiB` -> integer bytes (k = 1024). */
export function parseBytes(name: string, raw: string): number {
  return requireInteger(name, raw, parseWithUnit(name, raw, BYTE_UNITS, 'a size like 4096 or 4k'));
}

/**
 * `30s`, `500ms`, `2m`, `250us`; a bare number is in `bareUnit` -> milliseconds. Outside
 * min..max (when given) it is refused.
 */
export function parseDurationMs(name: string, raw: string, bareUnit: 'ms' | 's' = 's', min = 0, max = Infinity): number {
  const trimmed = raw.trim();
  const withUnit = /^[\d.]+$/.test(trimmed) ? trimmed + bareUnit : trimmed;
  // Compound durations, largest unit first as written: 1m30s, 1h5m, 2s500ms.
  const parts = /^(?:\d+(?:\.\d+)?[a-zµ]+){2,}$/i.test(withUnit) ? withUnit.match(/\d+(?:\.\d+)?[a-zµ]+/gi)! : [withUnit];
  // An error names the value as given (`1.2.3`), not with the bare unit added (`1.2.3s`).
  const values = parts.map((p) => parseWithUnit(name, raw, MS_UNITS, 'a duration like 30s, 500ms or 1m30s', p));
  // Each part in a smaller unit than the one before: `1m1m` or `30s1m` is a slip, not 2m or 90s.
  const units = parts.map((p) => MS_UNITS[p.replace(/^[\d.]+/, '').toLowerCase()]!);
  if (units.some((u, i) => i > 0 && u >= units[i - 1]!)) {
    throw usageError(name, 'not a duration: a compound one goes from the largest unit down, each once (1h5m, 1m30s, 2s500ms)', raw);
  }
  const v = values.reduce((sum, x) => sum + x, 0);
  if (v < min || v > max) throw usageError(name, `must be a duration in ${formatMs(min)}..${formatMs(max)}`, raw);
  return v;
}

/** A time in the largest unit that keeps it whole: 86400000 -> 24h, 1 -> 1ms, 0.25 -> 0.25ms. */
export function formatMs(ms: number): string {
  for (const [unit, size] of [['h', 3600e3], ['m', 60e3], ['s', 1e3]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** How far a real start was from --start-at: `12 ms late`, `3.20 s late`, `on time`. */
export function startOffsetText(ms: number): string {
  const abs = Math.abs(ms);
  const amount = abs >= 1000 ? `${(abs / 1000).toFixed(2)} s` : `${abs} ms`;
  return ms === 0 ? 'on time' : `${amount} ${ms > 0 ? 'late' : 'early'}`;
}

/**
 * A measured time for people: 86 -> "86 ms", 2480 -> "2.5 s", 979400 -> "16 min 19 s",
 * 7500000 -> "2 h 05 min" (to the second under an hour, to the minute above).
 */
export function formatSpan(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  const m = Math.round(ms / 60_000);
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** `16-4096`, `1k-4k` or a single value `64` -> {min, max}, each parsed by `one` (in any order). */
export function parseRange(name: string, raw: string, one: (name: string, raw: string) => number): Range {
  const parts = raw.split('-');
  if (parts.length > 2 || parts.some((p) => p.trim() === '')) {
    throw usageError(name, 'not a value or a range like 16-4096', raw);
  }
  const min = one(name, parts[0]!);
  const max = parts.length === 2 ? one(name, parts[1]!) : min;
  return { min, max };
}

/**
 * Whether `host` names this machine's loopback: `localhost`, `::1`, 127.0.0.0/8, or an IPv4-mapped
 * 127 address (brackets allowed). By name only: no lookup.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || h.startsWith('127.') || h.startsWith('::ffff:127.');
}

/** `host:port`, `:port`, `port`, `[::1]:port` -> {host, port}; the host defaults to 127.0.0.1. The port's range is not checked here. */
export function parseTarget(raw: string): { host: string; port: number } {
  const t = raw.trim();
  let host = '127.0.0.1';
  let portText = t;
  if (t.startsWith('[')) {
    const close = t.indexOf(']:');
    if (close < 0) throw usageError('target', 'not host:port', raw);
    host = t.slice(1, close);
    portText = t.slice(close + 2);
  } else if (t.includes(':')) {
    const colon = t.lastIndexOf(':');
    host = t.slice(0, colon) || host;
    portText = t.slice(colon + 1);
  }
  if (host.includes(':') && !t.startsWith('[')) {
    throw usageError('target', 'an IPv6 address goes in brackets, before the port, like [::1]:7777', raw);
  }
  if (!/^\d+$/.test(portText)) {
    throw t.includes(':') ? usageError('target', 'not host:port', raw) : usageError('target', `needs a port, like ${raw}:7777`, raw);
  }
  return { host, port: Number(portText) };
}

/** Formats microseconds for people: 850us, 12.3ms, 2.10s. */
export function formatMicros(us: number): string {
  if (us < 1000) return `${Math.round(us)}us`;
  if (us < 1e6) return `${(us / 1000).toFixed(us < 1e4 ? 2 : 1)}ms`;
  return `${(us / 1e6).toFixed(2)}s`;
}

/** Formats bytes for people, in IEC units everywhere: 512 B, 4.0 KiB, 12.3 MiB, 1.50 GiB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** A rate as results and reports show it: whole from 100 a second, to 0.01 below (--rate 0.5 exists; a shard's share of --rate 10 is 3.33). */
export function roundRate(r: number): number {
  return r >= 100 ? Math.round(r) : Math.round(r * 100) / 100;
}

/** Formats a count for people: 950, 12.3k, 4.56M. */
export function formatCount(n: number): string {
  if (n < 1e4) return String(Math.round(n));
  if (n < 1e6) return `${(n / 1e3).toFixed(1)}k`;
  return `${(n / 1e6).toFixed(2)}M`;
}

/** A rate (per second) as a plain number for people: 0.5, 3.33, 950, 2167; 0.001 (two significant digits) where 0.01 would round it to 0. */
export function showRate(n: number): string {
  return n > 0 && n < 0.005 ? String(Number(n.toPrecision(2))) : String(roundRate(n));
}

/** Formats a rate (per second) for people: 0.5, 3.33, 950, 12.3k. */
export function formatRate(n: number): string {
  return n < 100 ? showRate(n) : formatCount(n);
}

/** A plain integer (ports, thread counts): no unit suffix, no fraction. */
export function parseInteger(name: string, raw: string): number {
  if (!/^\s*-?\d+\s*$/.test(raw)) throw usageError(name, 'not a whole number', raw);
  return Number(raw);
}
