/**
 * StreamVerifier: checks one connection's echo byte for byte as it arrives, without allocating,
 * and hands what follows a first difference to diagnose.ts.
 */
import { FRAME_HEADER_BYTES, type FrameCodec } from './frame.js';
import { diagnoseDivergence, type Diagnosis } from './diagnose.js';

/** Bytes kept after a divergence for diagnosis: enough to see a few frames past the fault. */
const CAPTURE_MAX = 64 * 1024;
/** Expected bytes rebuilt for diagnosis at most (frames sent but not yet echoed). */
const EXPECTED_MAX = 256 * 1024;
/** Runs up to this long are compared byte by byte: cheaper than Buffer#compare's native call. */
const SMALL_COMPARE = 128;

/**
 * Checks one connection's echo stream incrementally, as bytes arrive, against the frames it sent.
 *
 * The hot path does no allocation: the head frame's header is kept in a 16-byte scratch and its
 * payload is compared in place against the codec's pool with Buffer#compare (a native memcmp).
 * On the first differing byte the verifier stops judging and captures what follows, so that
 * diagnose() can tell a lost byte from a flipped bit, a reordered chunk, a duplicate or another
 * connection's data.
 */
export class StreamVerifier {
  /** Frames fully echoed and verified. */
  completed = 0;
  /** Bytes that matched. */
  verifiedBytes = 0;
  /** Bytes sent (expected back) in total. */
  expectedBytes = 0;
  /** Set once a byte differs (or arrives beyond what was sent); verification stops there. */
  diverged = false;

  // Plain arrays: a typed array per connection costs more to create than it saves (churn makes
  // one verifier per connection).
  private seqs: number[] = [0, 0, 0, 0];
  private lens: number[] = [0, 0, 0, 0];
  private head = 0;
  private count = 0;
  private curOff = 0;
  private readonly hdr = new Uint8Array(FRAME_HEADER_BYTES);
  private headPay = 0;
  private prevSeq = -1;
  private prevLen = 0;
  private capture: Buffer | null = null;
  private captureLen = 0;
  /** Offset of the first bad byte within the head frame (or 0 past the last frame). */
  private divergeOff = 0;

  constructor(
    private readonly codec: FrameCodec,
    readonly connId: number,
  ) {}

  /**
   * Registers a frame as sent: its echo is expected after every frame registered before it.
   * `sent`, when given, holds the frame as it was encoded, at `at`: an echo must return exactly
   * those bytes, so its header is taken from there instead of being computed again.
   */
  expect(seq: number, length: number, sent?: Uint8Array, at = 0): void {
    if (this.count === this.seqs.length) this.grow();
    const i = (this.head + this.count) & (this.seqs.length - 1);
    this.seqs[i] = seq;
    this.lens[i] = length;
    this.count++;
    this.expectedBytes += length;
    if (this.count > 1) return;
    if (sent) {
      const hdr = this.hdr;
      for (let k = 0; k < FRAME_HEADER_BYTES; k++) hdr[k] = sent[at + k]!;
      this.headPay = this.codec.payloadOffset(this.connId, seq);
    } else this.loadHead();
  }

  /** Bytes sent whose echo has not been verified yet. */
  get pendingBytes(): number {
    return this.expectedBytes - this.verifiedBytes;
  }

  /** Bytes captured since the divergence. */
  get capturedBytes(): number {
    return this.captureLen;
  }

  /** Feeds received bytes buf[start, end). Returns how many frames this call completed. */
  push(buf: Buffer, start: number, end: number): number {
    if (this.diverged) {
      this.keep(buf, start, end);
      return 0;
    }
    const pool = this.codec.pool;
    const hdr = this.hdr;
    let done = 0;
    while (start < end) {
      if (this.count === 0) {
        // More bytes than were sent: judged in diagnose().
        this.startCapture(buf, start, end);
        return done;
      }
      const len = this.lens[this.head]!;
      const o = this.curOff;
      const n = Math.min(end - start, len - o);
      let i = 0;
      for (; o + i < FRAME_HEADER_BYTES && i < n; i++) {
        if (buf[start + i] !== hdr[o + i]) return this.fail(buf, start, end, i, done);
      }
      if (i < n && n - i <= SMALL_COMPARE) {
        const ps = this.headPay + (o + i - FRAME_HEADER_BYTES) - i;
        for (; i < n; i++) {
          if (buf[start + i] !== pool[ps + i]) return this.fail(buf, start, end, i, done);
        }
      } else if (i < n) {
        const ps = this.headPay + (o + i - FRAME_HEADER_BYTES);
        if (buf.compare(pool, ps, ps + (n - i), start + i, start + n) !== 0) {
          let j = i;
          while (buf[start + j] === pool[ps + j - i]) j++;
          return this.fail(buf, start, end, j, done);
        }
      }
      this.curOff = o + n;
      this.verifiedBytes += n;
      start += n;
      if (this.curOff === len) {
        this.prevSeq = this.seqs[this.head]!;
        this.prevLen = len;
        this.head = (this.head + 1) & (this.seqs.length - 1);
        this.count--;
        this.curOff = 0;
        this.completed++;
        done++;
        if (this.count > 0) this.loadHead();
      }
    }
    return done;
  }

  /**
   * Classifies what went wrong. `cause` says why the caller stopped waiting: 'data' (enough
   * bytes captured after a divergence), 'eof' (the peer closed), 'timeout' (no progress).
   * Returns null when nothing is wrong (no divergence and nothing pending).
   */
  diagnose(cause: 'data' | 'eof' | 'timeout'): Diagnosis | null {
    if (!this.diverged) {
      if (this.pendingBytes === 0) return null;
      if (cause === 'timeout') {
        return { fault: 'stalled', detail: `${this.pendingBytes} of ${this.expectedBytes} bytes not echoed in time` };
      }
      return this.curOff > 0
        ? { fault: 'truncated', detail: `stream ended ${this.curOff} bytes into a ${this.lens[this.head]}-byte frame` }
        : { fault: 'lost', detail: `stream ended with ${this.count} frame(s) (${this.pendingBytes} bytes) never echoed` };
    }
    // Rebuild the expected stream from the previous frame on; the actual stream is the same up
    // to the divergence point, then whatever was captured.
    const withPrev = this.prevSeq >= 0 && this.prevLen + this.curOff <= EXPECTED_MAX;
    const base = withPrev ? this.prevLen : 0;
    let total = base;
    let frames = 0;
    for (; frames < this.count && total + this.lens[(this.head + frames) & (this.seqs.length - 1)]! <= EXPECTED_MAX; frames++) {
      total += this.lens[(this.head + frames) & (this.seqs.length - 1)]!;
    }
    const expected = Buffer.allocUnsafe(total);
    if (withPrev) this.codec.encodeInto(expected, 0, this.connId, this.prevSeq, this.prevLen);
    let off = base;
    for (let f = 0; f < frames; f++) {
      const k = (this.head + f) & (this.seqs.length - 1);
      this.codec.encodeInto(expected, off, this.connId, this.seqs[k]!, this.lens[k]!);
      off += this.lens[k]!;
    }
    const p = base + this.divergeOff;
    const actual = Buffer.allocUnsafe(p + this.captureLen);
    expected.copy(actual, 0, 0, Math.min(p, expected.length));
    this.capture!.copy(actual, p, 0, this.captureLen);
    return diagnoseDivergence({
      codec: this.codec,
      connId: this.connId,
      expected,
      actual,
      at: p,
      expectedSeq: this.count > 0 ? this.seqs[this.head]! : -1,
      midFrame: this.divergeOff > 0 && this.count > 0,
      cause,
    });
  }

  private loadHead(): void {
    const seq = this.seqs[this.head]!;
    const len = this.lens[this.head]!;
    this.codec.writeHeader(this.hdr, 0, this.connId, seq, len);
    this.headPay = this.codec.payloadOffset(this.connId, seq);
  }

  private fail(buf: Buffer, start: number, end: number, at: number, done: number): number {
    this.curOff += at;
    this.verifiedBytes += at;
    this.startCapture(buf, start + at, end);
    return done;
  }

  private startCapture(buf: Buffer, start: number, end: number): void {
    this.diverged = true;
    this.divergeOff = this.count > 0 ? this.curOff : 0;
    this.capture = Buffer.allocUnsafe(CAPTURE_MAX);
    this.keep(buf, start, end);
  }

  private keep(buf: Buffer, start: number, end: number): void {
    const n = Math.min(end - start, CAPTURE_MAX - this.captureLen);
    if (n > 0) {
      buf.copy(this.capture!, this.captureLen, start, start + n);
      this.captureLen += n;
    }
  }

  private grow(): void {
    const size = this.seqs.length * 2;
    const seqs: number[] = new Array<number>(size).fill(0);
    const lens: number[] = new Array<number>(size).fill(0);
    for (let i = 0; i < this.count; i++) {
      seqs[i] = this.seqs[(this.head + i) & (this.seqs.length - 1)]!;
      lens[i] = this.lens[(this.head + i) & (this.seqs.length - 1)]!;
    }
    this.seqs = seqs;
    this.lens = lens;
    this.head = 0;
  }
}

/**
 * Runs the codec and a verifier over `frames` in-memory frames of `size` bytes, so that their
 * code is compiled and optimised before a measured flood starts rather than during its first
 * few hundred milliseconds. Touches no socket. Returns the frames verified (all of them).
 *
 * A new verifier (another connection) every 256 frames, as a run makes one per connection. With
 * a single one, the verifiers made after the warm-up had another hidden class than it, and the
 * code optimised for it was thrown away at the run's first frame (--trace-deopt: "wrong map").
 */
export function warmUpVerifier(codec: FrameCodec, size: number, frames: number): number {
  const buf = Buffer.allocUnsafe(size);
  let v = new StreamVerifier(codec, 0);
  let done = 0;
  for (let i = 0; i < frames; i++) {
    if (i > 0 && (i & 255) === 0) v = new StreamVerifier(codec, i >>> 8);
    codec.encodeInto(buf, 0, v.connId, i, size);
    v.expect(i, size, buf, 0);
    done += v.push(buf, 0, size);
  }
  return done;
}
