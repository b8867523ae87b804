/**
 * The send batch: frames written while one wait's events are handled are encoded side by side in
 * the thread's batch area and sent once the events are done, so the server is woken by a burst
 * rather than by one send at a time. A socket's frames leave in the order written, and before
 * anything else it writes or does. On the uring transport the frames whose socket has no other
 * frame in the batch go in one ring call. Only bytes the kernel does not take are copied out.
 */
import { MSG_NOSIGNAL } from '../../native/linux/libc.js';
import { EAGAIN, EINTR } from '../../native/linux/errno.js';

/** Frames batched per turn at most. */
export const BATCH_FRAMES = 4096;

/** The ring calls the batch makes (the thread's Uring). */
export interface SendRing {
  readonly capacity: number;
  readonly prepared: number;
  prepSend(fd: number, addr: number, len: number, flags: number, tag: number): void;
  run(results: Int32Array): number;
}

/** What the batch needs of a socket. */
export interface BatchedSocket {
  readonly fd: number;
  /** Its frames in the batch; the batch counts them. */
  framesInBatch: number;
  /** Destroyed, or never got a descriptor: its frames are dropped. */
  readonly closed: boolean;
  /** Not closed and nothing queued ahead of a new send. */
  readonly canSendNow: boolean;
  /** send()s native memory until it is all gone or the socket would block: the bytes sent, or -1 after an error. */
  sendNow(addr: number, len: number): number;
  /** Queues bytes the kernel did not take, to be sent on EPOLLOUT. */
  keepUnsent(part: Buffer): void;
  /** Reports a failed call on a later turn, as `net` does. */
  failLater(syscall: string, e: number): void;
  /** The batch is about to make the call(s) that carry this socket's frames (performance.now()). */
  stampSend(at: number): void;
}

export class SendBatch {
  /** Set while one wait's events are handled: only then do frames join the batch. */
  collecting = false;
  private used = 0;
  private count = 0;
  private readonly socks: (BatchedSocket | null)[] = new Array<BatchedSocket | null>(BATCH_FRAMES).fill(null);
  private readonly offs = new Int32Array(BATCH_FRAMES);
  /** Each frame's length; negated once the ring has sent it, its result then in ringResults. */
  private readonly lens = new Int32Array(BATCH_FRAMES);
  private readonly ringResults = new Int32Array(BATCH_FRAMES);

  /** `area`: native memory at `areaAddr`; `ring`: null to send each frame with its own call. */
  constructor(
    readonly area: Buffer,
    private readonly areaAddr: number,
    private readonly ring: SendRing | null,
  ) {}

  /** Frames waiting to be sent. */
  get size(): number {
    return this.count;
  }

  /** Where in `area` a frame of `len` bytes would join the batch, or -1 if it cannot now. */
  offsetFor(len: number): number {
    return this.collecting && this.count < BATCH_FRAMES && this.used + len <= this.area.length ? this.used : -1;
  }

  /** Takes the frame just encoded at area[off, off + len) into the batch; false if it cannot join. */
  add(s: BatchedSocket, off: number, len: number): boolean {
    if (!this.collecting || off !== this.used || this.count >= BATCH_FRAMES) return false;
    const i = this.count++;
    this.socks[i] = s;
    this.offs[i] = off;
    this.lens[i] = len;
    this.used += len;
    s.framesInBatch++;
    return true;
  }

  /** Sends the batch's frames, in the order they were written, and empties it. */
  send(): void {
    const n = this.count;
    this.count = 0;
    this.used = 0;
    // Round trips start at the batch's call, not when their frames joined it.
    const at = performance.now();
    for (let i = 0; i < n; i++) this.socks[i]!.stampSend(at);
    if (this.ring && n > 1) this.sendThroughRing(this.ring, n);
    for (let i = 0; i < n; i++) {
      const s = this.socks[i]!;
      const len = this.lens[i]!;
      this.socks[i] = null;
      s.framesInBatch--;
      if (len < 0) this.finishRingSend(s, this.ringResults[i]!, this.offs[i]!, -len);
      else this.sendInTurn(s, this.offs[i]!, len);
    }
  }

  /**
   * Sends, through the ring, each frame that is its socket's only one in the batch (a socket's
   * frames must leave in order, and the ring may run two of them in either order), marking it
   * done with a negative length.
   */
  private sendThroughRing(ring: SendRing, n: number): void {
    for (let start = 0; start < n; start += ring.capacity) {
      const end = Math.min(n, start + ring.capacity);
      for (let i = start; i < end; i++) {
        const s = this.socks[i]!;
        if (s.framesInBatch !== 1 || !s.canSendNow) continue;
        ring.prepSend(s.fd, this.areaAddr + this.offs[i]!, this.lens[i]!, MSG_NOSIGNAL, i);
        this.lens[i] = -this.lens[i]!;
      }
      if (ring.prepared > 0) ring.run(this.ringResults);
    }
  }

  /** A frame's turn to go with a call of its own: behind bytes already queued, or now. */
  private sendInTurn(s: BatchedSocket, off: number, len: number): void {
    if (s.closed) return;
    if (!s.canSendNow) {
      this.keep(s, off, off + len);
      return;
    }
    const sent = s.sendNow(this.areaAddr + off, len);
    if (sent < 0) return;
    if (sent < len) this.keep(s, off + sent, off + len);
  }

  /** A frame the ring tried to send: `res` bytes went (or -errno); the rest goes now or is kept. */
  private finishRingSend(s: BatchedSocket, res: number, off: number, len: number): void {
    if (res === len || s.closed) return;
    if (res < 0) {
      // A full socket buffer (or an interrupted call) sent nothing: the whole frame is still to go.
      if (res !== -EAGAIN && res !== -EINTR) return s.failLater('write', -res);
      res = 0;
    }
    const sent = res + Math.max(0, s.sendNow(this.areaAddr + off + res, len - res));
    if (sent < len) this.keep(s, off + sent, off + len);
  }

  /** The area is reused by the next batch: bytes kept from it are copied out. */
  private keep(s: BatchedSocket, from: number, to: number): void {
    s.keepUnsent(Buffer.from(this.area.subarray(from, to)));
  }
}
