/**
 * One flood connection: its socket, the verifier of its echo, its stall clock and how it ends
 * (ok, fault, error). The disconnect mode of its plan (modes.ts) decides what it sends when.
 */
import { performance } from 'node:perf_hooks';
import type { Histogram } from 'hdr-histogram-js';
import type { FrameCodec } from '../verify/frame.js';
import type { Diagnosis } from '../verify/diagnose.js';
import { frameCut, frameSize, type ConnectionPlan } from './scenarios.js';
import { C, type ErrorKind, type Outcome } from './floodCounters.js';
import { StreamVerifier } from '../verify/streamVerifier.js';
import { runModeStep, type ModeConnection } from './modes.js';
import type { ClientSocket, ClientTransport, SocketEvents, TimerHandle } from '../transport/transport.js';

/** What a connection needs from the thread that runs it. */
export interface ConnectionHost {
  readonly codec: FrameCodec;
  readonly counters: Float64Array;
  readonly rtt: Histogram;
  /** Open loop: round trips from the call that sent the frame, beside `rtt`'s from its intended time. */
  readonly serviceTime: Histogram;
  readonly connectLatency: Histogram;
  /** The same round trips as `rtt` and `serviceTime`, of the current interval only (reset at each sample). */
  readonly intervalRtt: Histogram;
  readonly intervalServiceTime: Histogram;
  /** --msg-rate: frames follow the thread's schedule (sendScheduled()), not the mode's steps. */
  readonly openLoop: boolean;
  /** Open loop: a connection became able to take a scheduled message. */
  dispatch(): void;
  /** Sockets, timers and deferred calls of this thread. */
  readonly transport: ClientTransport;
  /** The flood is ending: connections stop sending new frames and close gracefully. */
  readonly draining: boolean;
  finished(conn: FloodConnection, outcome: Outcome, why?: Diagnosis | { kind: ErrorKind; message: string }): void;
}

/** Bytes captured after a divergence before judging it (or all that is still expected). */
const DIAGNOSE_AFTER_BYTES = 1024;

/**
 * The socket's events come in through SocketEvents; the mode drives the connection through
 * ModeConnection (sendFrame(), closeWrite(), resetNow() and the few fields a mode owns).
 */
export class FloodConnection implements SocketEvents, ModeConnection {
  readonly socket: ClientSocket;
  readonly verifier: StreamVerifier;
  /** The thread's frame encoder and timers, as modes reach them. */
  readonly codec: FrameCodec;
  readonly timers: ClientTransport;
  /** Index of the next frame of the plan to send. */
  nextFrame = 0;
  /** An echo (or the EOF after our FIN, or the connect) is outstanding: the stall clock runs. */
  awaiting = true;
  /** performance.now() of the last byte in or out: stall detection measures from here. */
  lastProgress: number;
  /** When the verifier first diverged (0 = never): the diagnosis waits briefly for more bytes. */
  divergedAt = 0;
  /** We wrote a FIN; EOF from the server is now expected. */
  finSent = false;
  /** A timer owned by the mode (hold, drip, pending RST); cleared when the connection ends. */
  timer: TimerHandle | null = null;
  /** Free for the mode's own state machine (modes.ts). */
  phase = 0;
  done = false;
  /** Where the engine keeps this connection while it runs (-1: ended). */
  activeIndex = -1;
  private readonly connectStart: number;
  private connected = false;
  /**
   * Open loop, per frame in flight (oldest at `olHead`): its intended send time, and the stamp of
   * the call that carried it (NaN until known; `olWrote`, taken after write(), if it never is).
   */
  private readonly olIntended: number[] = [];
  private readonly olSent: number[] = [];
  private readonly olWrote: number[] = [];
  private olHead = 0;
  private sentAt = 0;
  /** Only closed-loop sends (one frame in flight) give a meaningful round-trip time. */
  private timed = false;

  constructor(
    readonly host: ConnectionHost,
    readonly plan: ConnectionPlan,
  ) {
    this.codec = host.codec;
    this.timers = host.transport;
    this.verifier = new StreamVerifier(host.codec, plan.index);
    this.connectStart = this.lastProgress = performance.now();
    this.socket = host.transport.connect(this, plan.index);
    if (plan.mode === 'connect-abort') {
      // Runs once connect() has been issued (net issues it on its own nextTick): the attempt is
      // in flight, and no connect event has been handled yet.
      host.transport.soon(() => {
        this.socket.destroy();
        this.succeed();
      });
    }
  }

  /** Sends frame `nextFrame` of the plan (closed loop: the caller waits for its echo). */
  sendFrame(timed: boolean): void {
    const i = this.nextFrame++;
    const len = frameSize(this.plan, i);
    const cut = frameCut(this.plan, i);
    if (cut > 0) {
      const buf = Buffer.allocUnsafe(len);
      this.host.codec.encodeInto(buf, 0, this.plan.index, i, len);
      this.verifier.expect(i, len, buf, 0);
      this.socket.write(buf.subarray(0, cut));
      // The rest goes a turn later, so the server is likely to read the frame in two parts.
      this.host.transport.defer(() => {
        if (!this.done) this.socket.write(buf.subarray(cut));
      });
    } else {
      // The transport's frame buffer: native memory sent from directly on the native transport.
      const t = this.host.transport;
      const buf = t.frameBuffer(len);
      const off = t.frameOffset;
      this.host.codec.encodeInto(buf, off, this.plan.index, i, len);
      this.verifier.expect(i, len, buf, off);
      this.socket.write(buf, len, off);
    }
    this.countSent(1, len);
    this.timed = timed;
    this.sentAt = this.lastProgress = performance.now();
    this.awaiting = true;
  }

  /** Open loop: room for one more frame in flight, and frames of the plan left to send. */
  canTakeMessage(pipeline: number): boolean {
    return this.connected && !this.done && !this.finSent && this.nextFrame < this.plan.frames && this.olIntended.length - this.olHead < pipeline;
  }

  /** Open loop, at the deadline: a running connection that has not sent its FIN yet. */
  canCloseWrite(): boolean {
    return this.connected && !this.done && !this.finSent;
  }

  /**
   * Open loop: sends the plan's next frame as the scheduled message intended at `intended`
   * (performance.now() time); after the plan's last frame, the FIN. Its echo is verified in order.
   */
  sendScheduled(intended: number): void {
    this.stampSent();
    this.sendFrame(false);
    this.olIntended.push(intended);
    this.olSent.push(NaN);
    this.olWrote.push(this.sentAt);
    if (this.nextFrame >= this.plan.frames) this.closeWrite();
  }

  /** Frames written before the latest write went out no later than it: its stamp, once known, is theirs. */
  private stampSent(): void {
    const at = this.socket.sentAt;
    if (Number.isNaN(at)) return;
    for (let k = this.olSent.length - 1; k >= this.olHead && Number.isNaN(this.olSent[k]!); k--) this.olSent[k] = at;
  }

  /** Open loop: `frames` more frames verified at `now`: both round trips of each. */
  private recordScheduled(frames: number, now: number): void {
    this.stampSent();
    const h = this.host;
    for (let f = 0; f < frames && this.olHead < this.olIntended.length; f++) {
      const k = this.olHead++;
      const sent = Number.isNaN(this.olSent[k]!) ? this.olWrote[k]! : this.olSent[k]!;
      const rtt = Math.max(1, Math.round((now - this.olIntended[k]!) * 1000));
      const service = Math.max(1, Math.round((now - sent) * 1000));
      h.rtt.recordValue(rtt);
      h.intervalRtt.recordValue(rtt);
      h.serviceTime.recordValue(service);
      h.intervalServiceTime.recordValue(service);
    }
    if (this.olHead === this.olIntended.length) this.olIntended.length = this.olSent.length = this.olWrote.length = this.olHead = 0;
  }

  /** Counts frames that went out (also used by modes that write frames themselves). */
  countSent(frames: number, bytes: number): void {
    this.host.counters[C.messagesSent]! += frames;
    this.host.counters[C.bytesSent]! += bytes;
  }

  expectEcho(seq: number, len: number, buf: Buffer, off: number): void {
    this.verifier.expect(seq, len, buf, off);
  }

  awaitEcho(): void {
    this.awaiting = true;
  }

  madeProgress(): void {
    this.lastProgress = performance.now();
  }

  /** FIN after everything written; the echo must still come back in full, then EOF. */
  closeWrite(): void {
    this.finSent = true;
    this.awaiting = true;
    this.lastProgress = performance.now();
    this.socket.end();
  }

  /** Abortive close (RST), as the plan asks: the connection ends well. */
  resetNow(): void {
    this.socket.resetAndDestroy();
    this.succeed();
  }

  succeed(): void {
    this.finish('ok');
  }

  /** Called by the thread's sweep when nothing moved for too long. */
  onTimeout(): void {
    if (this.done) return;
    if (!this.socket.connecting && this.verifier.diverged) return this.judge('timeout');
    if (this.socket.connecting) return this.fail('timeout', 'connect timed out');
    if (this.verifier.pendingBytes > 0) return this.judge('timeout');
    this.fail('timeout', this.finSent ? 'server did not close after our FIN' : 'timed out');
  }

  /** Called by the sweep: the verifier diverged a while ago and no decisive data came since. */
  diagnoseNow(): void {
    if (!this.done) this.judge('data');
  }

  onConnect(): void {
    const now = performance.now();
    this.host.counters[C.connected]!++;
    this.host.connectLatency.recordValue(Math.max(1, Math.round((now - this.connectStart) * 1000)));
    this.lastProgress = now;
    this.awaiting = false;
    this.connected = true;
    if (this.done) return;
    if (!this.host.openLoop) runModeStep(this);
    else if (this.host.draining) this.closeWrite();
    else this.host.dispatch();
  }

  onBytes(buf: Buffer, n: number): void {
    const host = this.host;
    host.counters[C.bytesReceived]! += n;
    if (this.done) return;
    const now = performance.now();
    this.lastProgress = now;
    const v = this.verifier;
    const frames = v.push(buf, 0, n);
    if (frames > 0) {
      host.counters[C.messagesVerified]! += frames;
      if (host.openLoop) this.recordScheduled(frames, now);
      else if (this.timed) {
        // From just before the call that sent the frame (the socket's stamp): see ClientSocket.sentAt.
        const from = Number.isNaN(this.socket.sentAt) ? this.sentAt : this.socket.sentAt;
        const rtt = Math.max(1, Math.round((now - from) * 1000));
        host.rtt.recordValue(rtt);
        host.intervalRtt.recordValue(rtt);
      }
    }
    if (v.diverged) {
      if (this.divergedAt === 0) this.divergedAt = now;
      // Judge once every expected byte is accounted for (or plenty came); a short stream waits
      // for the sweep's grace period instead.
      const got = v.capturedBytes;
      if (got >= DIAGNOSE_AFTER_BYTES || (got >= v.pendingBytes && got >= 16)) this.judge('data');
      return;
    }
    if (host.openLoop) {
      if (v.pendingBytes === 0 && !this.finSent) this.awaiting = false;
      if (frames > 0) host.dispatch();
      return;
    }
    if (v.pendingBytes === 0 && !this.finSent) {
      this.awaiting = false;
      // Past the deadline a closed-loop connection ends its plan early, with a clean FIN.
      if (host.draining) this.closeWrite();
      else runModeStep(this);
    }
  }

  onEnd(): void {
    if (this.done) return;
    if (this.verifier.diverged || this.verifier.pendingBytes > 0) return this.judge('eof');
    if (!this.finSent) this.fail('reset', 'closed by the server before the client finished');
    // Otherwise the EOF we waited for: 'close' follows and ends the connection well.
  }

  onError(code: string, message: string): void {
    if (this.done) return;
    if (this.verifier.diverged) return this.judge('eof');
    const kind: ErrorKind =
      code === 'ECONNRESET' || code === 'EPIPE' ? 'reset' : code === 'ECONNREFUSED' ? 'refused' : code === 'ETIMEDOUT' ? 'timeout' : 'other';
    this.fail(kind, message);
  }

  onClose(): void {
    if (this.done) return;
    if (this.finSent && !this.verifier.diverged && this.verifier.pendingBytes === 0) return this.succeed();
    if (this.verifier.diverged || this.verifier.pendingBytes > 0) return this.judge('eof');
    this.fail('other', 'socket closed unexpectedly');
  }

  private judge(cause: 'data' | 'eof' | 'timeout'): void {
    const d = this.verifier.diagnose(cause);
    if (d) this.finish('fault', d);
    else if (cause === 'timeout') this.fail('timeout', 'timed out');
    else this.fail('reset', 'closed early');
  }

  private fail(kind: ErrorKind, message: string): void {
    this.finish('error', { kind, message });
  }

  private finish(outcome: Outcome, why?: Diagnosis | { kind: ErrorKind; message: string }): void {
    if (this.done) return;
    this.done = true;
    this.awaiting = false;
    if (this.timer) this.host.transport.clearTimer(this.timer);
    this.timer = null;
    // A faulty or failed connection is torn down with RST: nothing more to wait for.
    if (!this.socket.destroyed) {
      if (outcome === 'ok' || this.socket.connecting) this.socket.destroy();
      else this.socket.resetAndDestroy();
    }
    this.host.finished(this, outcome, why);
  }
}
