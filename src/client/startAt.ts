/**
 * --start-at: shards started by a scheduler at different moments begin their floods together.
 * Each sets up (threads loaded, engines built) and then waits for the common time; the result
 * says how far its real start was from it.
 */
import { usageError } from '../errors.js';
import { parseDurationMs } from '../units.js';

/** Furthest ahead a start may be set. */
const MAX_AHEAD_MS = 24 * 3600e3;
/** setTimeout's longest single wait. */
const MAX_TIMER_MS = 0x7fffffff;

/** `2025-01-01T12:00:00Z` (any ISO 8601 time with a zone) or `+30` / `+30s` / `+1m` from now -> ms since the epoch. */
export function parseStartAt(raw: string, now = Date.now()): number {
  const text = raw.trim();
  if (text.startsWith('+')) return now + parseDurationMs('--start-at', text.slice(1), 's');
  // A time without a zone would mean each machine's own local time: shards in different zones would not agree.
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i.exec(text);
  if (!m) throw usageError('--start-at', 'not an ISO time with a zone (2025-01-01T12:00:00Z) or +seconds from now (+30)', raw);
  // Date.parse rolls a day the month lacks over into the next one (02-30 is 03-02): refused instead.
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (mo < 1 || mo > 12 || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw usageError('--start-at', 'not a valid time', raw);
  }
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw usageError('--start-at', 'not a valid time', raw);
  return ms;
}

/** A start time within bounds: a finite time at most 24 h ahead (one in the past starts at once). */
export function checkStartAt(ms: number, now = Date.now()): number {
  if (!Number.isFinite(ms)) throw usageError('--start-at', 'not a valid time', ms);
  if (ms - now > MAX_AHEAD_MS) throw usageError('--start-at', 'more than 24h from now', new Date(ms).toISOString());
  return ms;
}

/**
 * Resolves at `at` (ms since the epoch), at once if it has passed, or as soon as `cancel` is
 * called (Ctrl-C while waiting). Returns whether it was cancelled.
 */
export function waitUntil(at: number): { done: Promise<boolean>; cancel: () => void } {
  let timer: NodeJS.Timeout | null = null;
  let finish: (cancelled: boolean) => void = () => undefined;
  const done = new Promise<boolean>((resolve) => {
    finish = (cancelled) => {
      if (timer) clearTimeout(timer);
      timer = null;
      resolve(cancelled);
    };
    const arm = () => {
      const left = at - Date.now();
      if (left <= 0) return finish(false);
      // A wait past setTimeout's limit is rearmed; each rearm re-reads the clock.
      timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    };
    arm();
  });
  return { done, cancel: () => finish(true) };
}
