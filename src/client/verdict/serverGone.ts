/**
 * Telling a server that went away from one that is merely slow: once connections have reached
 * the target, a window with no new connection and no verified echo, in which connects were
 * refused (nothing listens on the port any more), means the server is gone. The flood then ends
 * early with that reason instead of hammering a dead port until its end and reporting the cut
 * connections as data faults.
 */
import { C } from '../run/floodCounters.js';

/** Refused connects in the silent window before the server is judged gone (one could be a fluke). */
const MIN_REFUSED = 3;
/** The silent window: half the connection timeout, at most this long (ms). */
const MAX_WINDOW_MS = 2000;

export interface ServerGone {
  /** When the last progress (a connect or a verified echo) was seen, ms into the run. */
  lastProgressMs: number;
  /** When the flood decided the server was gone, ms into the run. */
  detectedMs: number;
  /** Connects refused since the last progress. */
  refused: number;
}

export class ServerGoneWatch {
  private readonly windowMs: number;
  private connected = 0;
  private verified = 0;
  private refusedAtProgress = 0;
  private progressAt = 0;

  constructor(timeoutMs: number) {
    this.windowMs = Math.min(timeoutMs / 2, MAX_WINDOW_MS);
  }

  /** Feed the run's cumulative counters at `nowMs` into the run; returns the verdict once gone. */
  observe(c: Float64Array, nowMs: number): ServerGone | null {
    const connected = c[C.connected]!;
    const verified = c[C.messagesVerified]!;
    const refused = c[C.errRefused]!;
    if (connected > this.connected || verified > this.verified) {
      this.connected = connected;
      this.verified = verified;
      this.refusedAtProgress = refused;
      this.progressAt = nowMs;
      return null;
    }
    const refusedSince = refused - this.refusedAtProgress;
    if (this.connected === 0 || refusedSince < MIN_REFUSED || nowMs - this.progressAt < this.windowMs) return null;
    return { lastProgressMs: Math.round(this.progressAt), detectedMs: Math.round(nowMs), refused: refusedSince };
  }
}
