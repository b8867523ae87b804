/**
 * `iocp-bench server --out`: the server's own counters, one sample per --interval, for soaks
 * with no flood attached to say what happened when.
 */
import { columnsOf, type SampleOut } from '../sampleOut.js';
import type { ServerStats } from './types.js';

/** One interval of the server: what `server --out` writes as one NDJSON line (or CSV row). */
export interface ServerSample {
  /** Wall-clock time at the end of the interval, ms since the Unix epoch. */
  time: number;
  /** From the start of the sampling (the server listening) to the end of the interval, ms. */
  elapsedMs: number;
  /** This interval's length, ms (the last one may be shorter). */
  intervalMs: number;
  /** At the interval's end: live now, the others since the start. */
  sessions: { live: number; peak: number; accepted: number; freed: number; rejected: number };
  /** outstanding at the interval's end; completions per second of the interval. */
  ops: { outstanding: number; completionsPerSec: number };
  /** Bytes echoed in and out per second of the interval. */
  bytes: { inPerSec: number; outPerSec: number };
  /** Since the start: completions that found their session gone, and sessions freed twice (0 and 0 in a correct server). */
  staleCompletions: number;
  doubleFrees: number;
  rssBytes: number | null;
}

/** Sessions freed twice so far (extra.doubleFrees; 0 where a backend does not count them). */
export function doubleFrees(s: ServerStats): number {
  const n = s.extra?.doubleFrees;
  return typeof n === 'number' ? n : 0;
}

export const SERVER_SAMPLE_COLUMNS = columnsOf({
  time: 0,
  elapsedMs: 0,
  intervalMs: 0,
  sessions: { live: 0, peak: 0, accepted: 0, freed: 0, rejected: 0 },
  ops: { outstanding: 0, completionsPerSec: 0 },
  bytes: { inPerSec: 0, outPerSec: 0 },
  staleCompletions: 0,
  doubleFrees: 0,
  rssBytes: 0,
} satisfies ServerSample);

/**
 * Writes a sample of `stats()` to `out` at every interval boundary from now on; finish() writes
 * the last (shorter) one from the final counters and closes `out`.
 */
export function sampleServer(stats: () => ServerStats, intervalMs: number, out: SampleOut): { finish(final: ServerStats): void } {
  const t0 = performance.now();
  let previous = stats();
  let previousMs = 0;
  let next = 1;
  let timer: NodeJS.Timeout | null = null;
  const take = (s: ServerStats, elapsed: number) => {
    const elapsedMs = Math.round(Math.max(elapsed, previousMs));
    const span = elapsedMs - previousMs;
    // A stop within a millisecond of a boundary leaves a last sample of 0 ms: its rates are 0.
    const perSec = (now: number, before: number) => (span >= 1 ? Math.round(((now - before) * 1000) / span) : 0);
    const rss = s.extra.rssBytes;
    out.write({
      time: Math.round(performance.timeOrigin + t0 + elapsedMs),
      elapsedMs,
      intervalMs: span,
      sessions: { ...s.sessions },
      ops: { outstanding: s.ops.outstanding, completionsPerSec: perSec(s.ops.completed, previous.ops.completed) },
      bytes: { inPerSec: perSec(s.bytes.in, previous.bytes.in), outPerSec: perSec(s.bytes.out, previous.bytes.out) },
      staleCompletions: s.staleCompletions,
      doubleFrees: doubleFrees(s),
      rssBytes: typeof rss === 'number' ? rss : null,
    } satisfies ServerSample);
    previous = s;
    previousMs = elapsedMs;
  };
  const schedule = () => {
    timer = setTimeout(() => {
      // A boundary passed while the process was busy is folded into this sample.
      const b = Math.max(next, Math.floor((performance.now() - t0) / intervalMs));
      take(stats(), b * intervalMs);
      next = b + 1;
      schedule();
    }, Math.max(0, t0 + next * intervalMs - performance.now()));
    timer.unref();
  };
  schedule();
  return {
    finish(final) {
      if (timer) clearTimeout(timer);
      timer = null;
      take(final, performance.now() - t0);
      out.close();
    },
  };
}
