/**
 * The disconnect modes: what a flood connection sends, when it closes, and how (FIN, RST, RST
 * mid-frame, RST while the server's send is pending, idle holds, slow drips). A mode sees its
 * connection only through ModeConnection, declared here and implemented by FloodConnection.
 */
import type { ClientSocket, ClientTransport, TimerHandle } from '../transport/transport.js';
import type { FrameCodec } from '../verify/frame.js';
import { frameCut, frameSize, type ConnectionPlan } from './scenarios.js';

/** What a mode may touch of its connection: nothing else of it is a mode's business. */
export interface ModeConnection {
  readonly plan: ConnectionPlan;
  /** The connection has ended: a late timer or drain callback of the mode must do nothing. */
  readonly done: boolean;
  /** Index of the next frame of the plan to send. */
  nextFrame: number;
  /** Free for the mode's own state machine. */
  phase: number;
  /** A timer owned by the mode (hold, drip, pending RST); cleared when the connection ends. */
  timer: TimerHandle | null;
  readonly socket: Pick<ClientSocket, 'write' | 'onceDrain' | 'pause'>;
  /** The thread's frame encoder. */
  readonly codec: Pick<FrameCodec, 'encode' | 'encodeInto'>;
  /** The thread's timers. */
  readonly timers: Pick<ClientTransport, 'setTimer' | 'clearTimer'>;
  /** The echo of frame `seq` must come back as buf[off, off + len). */
  expectEcho(seq: number, len: number, buf: Buffer, off: number): void;
  /** An echo is outstanding from now on: the stall clock runs. */
  awaitEcho(): void;
  /** Bytes just went out: the stall clock measures from now. */
  madeProgress(): void;
  /** Sends frame `nextFrame` of the plan (closed loop: the next step waits for its echo). */
  sendFrame(timed: boolean): void;
  /** Counts frames that went out when the mode wrote them itself. */
  countSent(frames: number, bytes: number): void;
  /** FIN after everything written. */
  closeWrite(): void;
  /** RST, as the plan asks: the connection ends well. */
  resetNow(): void;
}

/** Frames per write when a mode streams many of them: big enough to fill socket buffers fast. */
const BATCH_BYTES = 64 * 1024;
/** rst-send-pending: with writes refused this long, the server has stopped reading (its echo is
 * blocked by our closed receive window), which is the moment to reset. */
const BLOCKED_MS = 50;
/** rst-send-pending: a short wait after the last write so the server has begun echoing it. */
const SETTLE_MS = 20;

/**
 * What each disconnect mode does next. Called when the connection is established and again each
 * time everything sent so far has been echoed and verified (unless a FIN was already sent).
 */
export function runModeStep(c: ModeConnection): void {
  const n = c.plan.frames;
  switch (c.plan.mode) {
    case 'graceful':
      return c.nextFrame < n ? c.sendFrame(true) : c.closeWrite();
    case 'connect-rst':
      return c.resetNow();
    case 'connect-abort':
      return; // already closed while connecting
    case 'half-close':
      sendAll(c);
      return c.closeWrite();
    case 'rst-mid-frame':
      return c.nextFrame < n - 1 ? c.sendFrame(true) : sendPartialThenReset(c);
    case 'rst-after-echo':
      return c.nextFrame < n ? c.sendFrame(true) : c.resetNow();
    case 'idle':
      if (c.nextFrame === 1 && c.phase === 0) {
        c.phase = 1;
        // Not awaiting anything: the stall clock is off while the connection sits idle.
        c.timer = c.timers.setTimer(() => {
          c.timer = null;
          if (!c.done) runModeStep(c);
        }, c.plan.holdMs);
        return;
      }
      return c.nextFrame < n ? c.sendFrame(true) : c.closeWrite();
    case 'slow-drip':
      return c.nextFrame < n ? drip(c) : c.closeWrite();
    case 'rst-send-pending':
      c.socket.pause();
      return sendPending(c);
  }
}

/** half-close: every frame at once (cut where the plan says), the echo read after our FIN. */
function sendAll(c: ModeConnection): void {
  const p = c.plan;
  let i = 0;
  while (i < p.frames) {
    let total = 0;
    let j = i;
    while (j < p.frames && (j === i || total + frameSize(p, j) <= BATCH_BYTES)) total += frameSize(p, j++);
    const buf = Buffer.allocUnsafe(total);
    let off = 0;
    let from = 0;
    for (let k = i; k < j; k++) {
      const len = frameSize(p, k);
      const cut = frameCut(p, k);
      c.codec.encodeInto(buf, off, p.index, k, len);
      c.expectEcho(k, len, buf, off);
      if (cut > 0) {
        c.socket.write(buf.subarray(from, off + cut));
        from = off + cut;
      }
      off += len;
    }
    c.socket.write(buf.subarray(from));
    c.countSent(j - i, total);
    i = j;
  }
  c.nextFrame = p.frames;
}

/** rst-mid-frame: part of the last frame goes out, then RST while the server holds half a frame. */
function sendPartialThenReset(c: ModeConnection): void {
  const i = c.nextFrame++;
  const buf = c.codec.encode(c.plan.index, i, frameSize(c.plan, i));
  c.socket.write(buf.subarray(0, c.plan.partialBytes));
  c.countSent(0, c.plan.partialBytes);
  c.resetNow();
}

/** slow-drip: one frame a few bytes at a time; its echo is verified as it trickles back. */
function drip(c: ModeConnection): void {
  const i = c.nextFrame++;
  const len = frameSize(c.plan, i);
  const buf = c.codec.encode(c.plan.index, i, len);
  c.expectEcho(i, len, buf, 0);
  c.countSent(1, len);
  c.awaitEcho();
  const piece = Math.max(1, Math.ceil(len / c.plan.dripPieces));
  let off = 0;
  const step = (): void => {
    c.timer = null;
    if (c.done) return;
    const k = Math.min(piece, len - off);
    c.socket.write(buf.subarray(off, off + k));
    off += k;
    c.madeProgress();
    if (off < len) c.timer = c.timers.setTimer(step, c.plan.dripDelayMs);
  };
  step();
}

/** rst-send-pending: write without reading until the server can no longer send, then RST. */
function sendPending(c: ModeConnection): void {
  const p = c.plan;
  let written = 0;
  let seq = 0;
  const writeMore = (): void => {
    if (c.done) return;
    while (written < p.pendingBytes) {
      let total = 0;
      let j = seq;
      while (total < BATCH_BYTES) total += frameSize(p, j++);
      const buf = Buffer.allocUnsafe(total);
      for (let off = 0; seq < j; seq++) {
        const len = frameSize(p, seq);
        c.codec.encodeInto(buf, off, p.index, seq, len);
        off += len;
      }
      written += total;
      c.countSent(0, total);
      if (!c.socket.write(buf)) {
        const t = c.timers.setTimer(() => {
          c.timer = null;
          if (!c.done) c.resetNow();
        }, BLOCKED_MS);
        c.timer = t;
        c.socket.onceDrain(() => {
          if (c.timer !== t) return;
          c.timers.clearTimer(t);
          c.timer = null;
          writeMore();
        });
        return;
      }
    }
    c.timer = c.timers.setTimer(() => {
      c.timer = null;
      if (!c.done) c.resetNow();
    }, SETTLE_MS);
  };
  writeMore();
}
