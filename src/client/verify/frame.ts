/**
 * Frames the flood sends and expects back, byte for byte.
 *
 * A frame is a 16-byte header followed by a payload:
 *
 *   u32le connId | u32le seq | u32le length (whole frame, header included) | u32le check
 *
 * The payload of frame (connId, seq) is a slice of a pseudo-random pool generated from the run's
 * seed, at an offset derived from (connId, seq). Every thread of a run builds the same pool, so any
 * receiver can tell what any frame of the run must contain, and sending costs one memcpy instead
 * of per-byte work. `check` mixes the header fields with a Fletcher-style digest of the payload
 * and a tag of the seed: a header with a valid check is a genuine frame of this run (which makes
 * another connection's frame recognisable as foreign), and `verifyFrame()` can re-check a whole
 * frame from its bytes alone. The flood itself compares payload bytes against the pool, which is
 * stronger than any checksum; see StreamVerifier in client/streamVerifier.ts.
 */

export const FRAME_HEADER_BYTES = 16;
/** Largest frame the codec accepts: large enough for any sane echo test, small enough to pool. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;
/** Payload offsets fall in [0, POOL_SPAN): enough variety that frames of a connection differ. */
const POOL_SPAN = 64 * 1024;
/** Payloads up to this size are copied byte by byte: cheaper than Buffer#copy's native call. */
const SMALL_COPY = 128;

/** murmur3's finaliser: a cheap, well-mixed 32-bit hash step. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mix2(a: number, b: number): number {
  return fmix32((Math.imul(a ^ 0x9e3779b9, 0x01000193) + b) >>> 0);
}

export interface FrameHeader {
  connId: number;
  seq: number;
  length: number;
  check: number;
}

/** Encodes frames of one run and recognises them. Immutable after construction; share freely. */
export class FrameCodec {
  readonly seed: number;
  readonly maxFrameBytes: number;
  /** Pseudo-random payload source; never written after construction (safe to hand to write()). */
  readonly pool: Buffer;
  private readonly tag: number;
  /** Prefix sums of pool bytes and of index*byte, mod 2^32: O(1) digest of any pool range. */
  private readonly sum1: Uint32Array;
  private readonly sum2: Uint32Array;

  constructor(seed: number, maxFrameBytes = 64 * 1024) {
    if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < FRAME_HEADER_BYTES || maxFrameBytes > MAX_FRAME_BYTES) {
      throw new RangeError(`maxFrameBytes must be ${FRAME_HEADER_BYTES}..${MAX_FRAME_BYTES}`);
    }
    this.seed = seed >>> 0;
    this.maxFrameBytes = maxFrameBytes;
    this.tag = fmix32(this.seed ^ 0x46524d31);
    const len = POOL_SPAN + maxFrameBytes;
    this.pool = Buffer.allocUnsafe(len);
    // xorshift32, four bytes per step: building the pool is a one-off per thread.
    let x = this.tag | 1;
    for (let i = 0; i < len; i += 4) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      this.pool[i] = x & 0xff;
      if (i + 1 < len) this.pool[i + 1] = (x >>> 8) & 0xff;
      if (i + 2 < len) this.pool[i + 2] = (x >>> 16) & 0xff;
      if (i + 3 < len) this.pool[i + 3] = (x >>> 24) & 0xff;
    }
    this.sum1 = new Uint32Array(len + 1);
    this.sum2 = new Uint32Array(len + 1);
    for (let i = 0; i < len; i++) {
      this.sum1[i + 1] = (this.sum1[i]! + this.pool[i]!) >>> 0;
      this.sum2[i + 1] = (this.sum2[i]! + Math.imul(i, this.pool[i]!)) >>> 0;
    }
  }

  /** Where in `pool` the payload of (connId, seq) starts. */
  payloadOffset(connId: number, seq: number): number {
    return (mix2(connId ^ this.tag, seq) % POOL_SPAN) | 0; // an int32, as frameSize() says why
  }

  /** The check word of a frame whose payload digest is (a, b). */
  private checkOf(connId: number, seq: number, length: number, a: number, b: number): number {
    return mix2(mix2(mix2(mix2(this.tag, connId), seq), length), mix2(a, b));
  }

  /** The check word frame (connId, seq, length) must carry: O(1) thanks to the prefix sums. */
  expectedCheck(connId: number, seq: number, length: number): number {
    const s = this.payloadOffset(connId, seq);
    const e = s + length - FRAME_HEADER_BYTES;
    const a = (this.sum1[e]! - this.sum1[s]!) >>> 0;
    // sum of (i - s) * byte_i over the range = sum2 range - s * sum1 range (mod 2^32)
    const b = (this.sum2[e]! - this.sum2[s]! - Math.imul(s, a)) >>> 0;
    return this.checkOf(connId, seq, length, a, b);
  }

  /** Writes the 16 header bytes of frame (connId, seq, length) at `off`. */
  writeHeader(buf: Uint8Array, off: number, connId: number, seq: number, length: number): void {
    const check = this.expectedCheck(connId, seq, length);
    writeU32(buf, off, connId);
    writeU32(buf, off + 4, seq);
    writeU32(buf, off + 8, length);
    writeU32(buf, off + 12, check);
  }

  /** Encodes a whole frame into `buf` at `off` (which must have `length` bytes of room). */
  encodeInto(buf: Buffer, off: number, connId: number, seq: number, length: number): void {
    this.assertLength(length);
    this.writeHeader(buf, off, connId, seq, length);
    const p = this.payloadOffset(connId, seq);
    const n = length - FRAME_HEADER_BYTES;
    if (n <= SMALL_COPY) {
      const pool = this.pool;
      const o = off + FRAME_HEADER_BYTES;
      for (let i = 0; i < n; i++) buf[o + i] = pool[p + i]!;
    } else {
      this.pool.copy(buf, off + FRAME_HEADER_BYTES, p, p + n);
    }
  }

  /** A fresh buffer holding frame (connId, seq, length). */
  encode(connId: number, seq: number, length: number): Buffer {
    this.assertLength(length);
    const buf = Buffer.allocUnsafe(length);
    this.encodeInto(buf, 0, connId, seq, length);
    return buf;
  }

  /**
   * Reads a header at `off` and says whether it is a genuine header of this run (its check word
   * matches the fields). Returns null when fewer than 16 bytes are available or it is not genuine.
   */
  readHeader(buf: Uint8Array, off: number, end = buf.length): FrameHeader | null {
    if (end - off < FRAME_HEADER_BYTES) return null;
    const length = readU32(buf, off + 8);
    if (length < FRAME_HEADER_BYTES || length > this.maxFrameBytes) return null;
    const connId = readU32(buf, off);
    const seq = readU32(buf, off + 4);
    const check = readU32(buf, off + 12);
    if (check !== this.expectedCheck(connId, seq, length)) return null;
    return { connId, seq, length, check };
  }

  /**
   * Verifies a complete frame from its bytes alone (header check against a digest computed from
   * the received payload, then the payload against the pool). Slow path: diagnosis and tests.
   */
  verifyFrame(frame: Uint8Array): { ok: true; header: FrameHeader } | { ok: false; reason: string } {
    if (frame.length < FRAME_HEADER_BYTES) return { ok: false, reason: 'shorter than a header' };
    const connId = readU32(frame, 0);
    const seq = readU32(frame, 4);
    const length = readU32(frame, 8);
    const check = readU32(frame, 12);
    if (length !== frame.length) return { ok: false, reason: `length field ${length} != ${frame.length} bytes` };
    let a = 0;
    let b = 0;
    for (let i = FRAME_HEADER_BYTES; i < length; i++) {
      a = (a + frame[i]!) >>> 0;
      b = (b + Math.imul(i - FRAME_HEADER_BYTES, frame[i]!)) >>> 0;
    }
    if (check !== this.checkOf(connId, seq, length, a, b)) return { ok: false, reason: 'check word mismatch' };
    const p = this.payloadOffset(connId, seq);
    if (Buffer.compare(frame.subarray(FRAME_HEADER_BYTES), this.pool.subarray(p, p + length - FRAME_HEADER_BYTES)) !== 0) {
      return { ok: false, reason: 'payload differs from the run pattern' };
    }
    return { ok: true, header: { connId, seq, length, check } };
  }

  private assertLength(length: number): void {
    if (!Number.isInteger(length) || length < FRAME_HEADER_BYTES || length > this.maxFrameBytes) {
      throw new RangeError(`frame length ${length} outside ${FRAME_HEADER_BYTES}..${this.maxFrameBytes}`);
    }
  }
}

function writeU32(buf: Uint8Array, off: number, v: number): void {
  buf[off] = v & 0xff;
  buf[off + 1] = (v >>> 8) & 0xff;
  buf[off + 2] = (v >>> 16) & 0xff;
  buf[off + 3] = (v >>> 24) & 0xff;
}

function readU32(buf: Uint8Array, off: number): number {
  return (buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16) | (buf[off + 3]! << 24)) >>> 0;
}
