/**
 * Interval samples: what one --interval of a flood looked like. --out writes one per line (NDJSON)
 * or row (CSV); the --json result holds them all.
 */
import type { FaultClass } from '../verify/diagnose.js';

/**
 * Latency of the round trips completed in one interval, µs. In an interval in which none completed
 * (count 0: a server that stopped echoing) p50..max are 0, which is no latency: read count first.
 * A CSV (--out FILE.csv) leaves those cells empty, so that a plot of them has a gap there, not a
 * drop to 0.
 */
export interface IntervalLatency { count: number; p50: number; p90: number; p99: number; max: number }

/** One interval's latency histograms, HdrHistogram's compressed base64 (µs); serviceTime null in closed loop. */
export interface IntervalHistograms {
  roundTrip: string;
  serviceTime: string | null;
}

/** One interval of a flood: what --out writes as one NDJSON line (or CSV row), and result.samples holds. */
export interface IntervalSample {
  /** Wall-clock time at the end of the interval, ms since the Unix epoch. */
  time: number;
  /** From the flood's start to the end of the interval, ms. */
  elapsedMs: number;
  /**
   * This interval's length, ms. The last one may be shorter: after a --duration it ends with the
   * wind-down, whose round trips are those still in flight at the end.
   */
  intervalMs: number;
  /** opened/ok/fault/error/aborted: in this interval; active: at its end. */
  connections: { opened: number; ok: number; fault: number; error: number; aborted: number; active: number };
  /** In this interval; perSec = verified per second of it. */
  messages: { sent: number; verified: number; perSec: number };
  bytes: { sent: number; received: number; sentPerSec: number; receivedPerSec: number };
  /** Round trips completed in this interval (open loop: corrected, from the schedule). */
  roundTripUs: IntervalLatency;
  /** Open loop only (null in closed loop): service time, from the send call. */
  serviceTimeUs: IntervalLatency | null;
  /** In this interval. */
  faults: { total: number } & Record<FaultClass, number>;
  errors: { total: number; reset: number; refused: number; timeout: number; other: number };
  /** The server's counters read at the interval's end, when readable (embedded server or --stats); else null. */
  server: { live: number; outstanding: number; accepted: number; freed: number; staleCompletions: number; doubleFrees: number; rssBytes: number | null } | null;
}
