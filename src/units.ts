/** Parsing of human-friendly option values: `30s`, `500ms`, `2m`, `64k`, `1M`, `10k`. */
import { UsageError } from './errors.js';

const DURATION: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const SIZE: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1 << 20, mb: 1 << 20, mib: 1 << 20 };
const COUNT: Record<string, number> = { '': 1, k: 1_000, m: 1_000_000 };

function parseWith(table: Record<string, number>, text: string, what: string, defaultUnit: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? (m[2] || defaultUnit).toLowerCase() : '';
  if (!m || !(unit in table)) throw new UsageError(`${what}: cannot read "${text}"`);
  return Math.round(Number(m[1]) * table[unit]);
}

/** Milliseconds; a bare number is seconds unless `bareUnit` says otherwise. */
export function parseDuration(text: string, what: string, bareUnit: 'ms' | 's' = 's'): number {
  return parseWith(DURATION, text, `${what} (like 30s, 500ms, 2m)`, bareUnit);
}

/** Bytes: `4096`, `64k`, `1M` (binary multiples). */
export function parseSize(text: string, what: string): number {
  return parseWith(SIZE, text, `${what} (like 4096, 64k, 1M)`, '');
}

/** A count: `1000`, `10k`, `1m`. */
export function parseCount(text: string, what: string): number {
  return parseWith(COUNT, text, `${what} (like 1000 or 10k)`, '');
}

/** A strict integer (ports, thread counts). */
export function parseInteger(text: string, what: string): number {
  if (!/^\s*-?\d+\s*$/.test(text)) throw new UsageError(`${what} must be an integer, got "${text}"`);
  return Number(text);
}
