/**
 * Telling a server that went away from one that is merely slow: once connections have reached
 * the target, a window with no new connection and no verified echo, in which connects were
 * refused (nothing listens on the port any more), means the server is gone. The flood then ends
 * early with that reason instead of hammering a dead port until its end and reporting the cut
 * connections as data faults.
 *
 * A server that dies less than a window before the run's end would pass unnoticed, every connect
 * after its death counted as a mere network error. So a run that ends with refusals since its last
 * progress makes one more connect of its own (finalConnectRefused): refused too, the server is
 * gone; accepted, or anything else, it is not judged gone.
 */
import { connect } from 'node:net';
import { C } from '../run/floodCounters.js';

/** Refused connects in the silent window before the server is judged gone (one could be a fluke). */
const MIN_REFUSED = 3;
/** The silent window: half the connection timeout, at most this long (ms). */
const MAX_WINDOW_MS = 2000;

export interface ServerGone {
  /**
   * When the last progress (a connect or a verified echo) was seen, ms into the run; with
   * finalConnectRefused, the last look before the refusals (progress may have come after it).
   */
  lastProgressMs: number;
  /** When the flood decided the server was gone, ms into the run. */
  detectedMs: number;
  /** Connects refused since the last progress (with finalConnectRefused: since lastProgressMs). */
  refused: number;
  /** Judged at the run's end (before a whole silent window had passed) by a last connect, refused too. */
  finalConnectRefused: boolean;
}

/**
 * How long the last connect may take before it counts as not refused (ms). Windows answers a
 * refused connect only after retrying its SYN (about 2 s on loopback): leave room for that.
 */
const FINAL_CONNECT_MS = 5000;

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
    if (!this.suspects(refused) || nowMs - this.progressAt < this.windowMs) return null;
    return { lastProgressMs: Math.round(this.progressAt), detectedMs: Math.round(nowMs), refused: refused - this.refusedAtProgress, finalConnectRefused: false };
  }

  /**
   * At the run's end, with its final counters: gone if a whole silent window has passed, or if
   * connects were refused since the last progress and `refusedNow()` (one more connect) is too.
   */
  async atEnd(c: Float64Array, endMs: number, refusedNow: () => Promise<boolean>): Promise<ServerGone | null> {
    // Counted from the progress seen before these final counters: a server that died in the last
    // tick made progress in it too, which observe() would take as the last word.
    const refusedBefore = this.refusedAtProgress;
    const progressBefore = this.progressAt;
    const gone = this.observe(c, endMs);
    const refused = c[C.errRefused]! - refusedBefore;
    if (gone !== null || this.connected === 0 || refused < MIN_REFUSED || !(await refusedNow())) return gone;
    // Progress in the last stretch too: the refusals are counted from the look before it.
    const lastProgressMs = this.progressAt === endMs ? progressBefore : this.progressAt;
    return { lastProgressMs: Math.round(lastProgressMs), detectedMs: Math.round(endMs), refused, finalConnectRefused: true };
  }

  /** Connections reached the target, and enough connects were refused since the last progress. */
  private suspects(refused: number): boolean {
    return this.connected > 0 && refused - this.refusedAtProgress >= MIN_REFUSED;
  }
}

/** One connect to host:port: true when it is refused (nothing listens there). */
export function connectRefused(host: string, port: number, timeoutMs = FINAL_CONNECT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (refused: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(refused);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(false));
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED'));
  });
}
