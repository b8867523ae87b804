/**
 * Names a data fault: given where an echo stream first differed from what was sent, decides
 * whether bytes were lost, corrupted, reordered, duplicated, foreign (another connection's),
 * truncated or stalled.
 */
import { FRAME_HEADER_BYTES, type FrameCodec } from './frame.js';

/** How an echoed stream can be wrong. Every data fault the flood reports is one of these. */
export const FAULT_CLASSES = ['lost', 'corrupted', 'reordered', 'duplicated', 'foreign', 'truncated', 'stalled'] as const;
export type FaultClass = (typeof FAULT_CLASSES)[number];

export interface Diagnosis {
  fault: FaultClass;
  detail: string;
}

export interface DivergenceInput {
  codec: FrameCodec;
  connId: number;
  /** The bytes that should have come back, from a frame boundary at or before `at`. */
  expected: Buffer;
  /** The bytes that did come back, aligned with `expected` (identical before `at`). */
  actual: Buffer;
  /** Index of the first byte that differs (or that arrived beyond `expected`). */
  at: number;
  /** Sequence number of the frame `at` falls in; -1 when `at` is past every frame sent. */
  expectedSeq: number;
  /** `at` is inside a frame rather than on its first byte. */
  midFrame: boolean;
  cause: 'data' | 'eof' | 'timeout';
}

/** Bytes compared to align the actual stream with the expected one: random payload makes
 * a 16-byte match by chance vanishingly unlikely. */
const WINDOW = 16;
/** How far past a bad byte the streams must re-align for it to count as corruption. */
const CORRUPTION_SPAN = 64;

/**
 * Explains a divergence between the expected and the actual echo of one connection. The order of
 * the tests matters: a genuine frame header where the divergence starts is the strongest evidence
 * (another connection's frame, or one of ours out of place); then byte alignment (the stream
 * skipped ahead = lost or reordered, fell back = duplicated, re-aligns in place = corrupted); then
 * any genuine foreign header further on.
 */
export function diagnoseDivergence(d: DivergenceInput): Diagnosis {
  const { codec, connId, expected: E, actual: A, at: p } = d;
  const avail = A.length - p;
  if (avail <= 0) {
    return { fault: d.cause === 'eof' ? 'truncated' : 'stalled', detail: 'no bytes after the divergence' };
  }

  const h = codec.readHeader(A, p);
  if (h) {
    if (h.connId !== connId) {
      return { fault: 'foreign', detail: `received frame seq ${h.seq} of connection ${h.connId}` };
    }
    if (d.expectedSeq < 0 || h.seq < d.expectedSeq || (h.seq === d.expectedSeq && d.midFrame)) {
      return { fault: 'duplicated', detail: `frame seq ${h.seq} echoed again` };
    }
    if (h.seq > d.expectedSeq) {
      // The bytes that should be here: do they turn up later (reordered) or never (lost)?
      const missing = E.subarray(p, p + FRAME_HEADER_BYTES);
      return missing.length > 0 && A.indexOf(missing, p + 1) >= 0
        ? { fault: 'reordered', detail: `frame seq ${h.seq} arrived before seq ${d.expectedSeq}` }
        : { fault: 'lost', detail: `frame seq ${d.expectedSeq} missing, seq ${h.seq} came instead` };
    }
  }

  if (avail >= WINDOW) {
    const shift = nearestShift(E, A.subarray(p, p + WINDOW), p);
    if (shift !== null && shift > 0) {
      const skipped = E.subarray(p, p + Math.min(shift, WINDOW));
      if (skipped.length >= 4 && A.indexOf(skipped, p + 1) >= 0) {
        return { fault: 'reordered', detail: `${shift} bytes at stream offset ${p} arrived later, out of order` };
      }
      return { fault: 'lost', detail: `${shift} byte(s) missing at stream offset ${p}` };
    }
    if (shift !== null && shift < 0) {
      return { fault: 'duplicated', detail: `${-shift} byte(s) repeated at stream offset ${p}` };
    }
  }

  for (let i = p + 1; i + FRAME_HEADER_BYTES <= A.length; i++) {
    const fh = codec.readHeader(A, i);
    if (fh && fh.connId !== connId) {
      return { fault: 'foreign', detail: `bytes of connection ${fh.connId} (frame seq ${fh.seq}) mixed into the stream` };
    }
  }

  const realign = realignsInPlace(E, A, p);
  if (realign > 0) {
    return { fault: 'corrupted', detail: `${realign} byte(s) differ at stream offset ${p}` };
  }

  return { fault: 'corrupted', detail: `${avail} byte(s) from stream offset ${p} match nothing sent` };
}

/** Distance from `p` to the nearest place in `E` holding `win` (excluding `p` itself). */
function nearestShift(E: Buffer, win: Buffer, p: number): number | null {
  let best: number | null = null;
  let idx = E.indexOf(win);
  for (let guard = 0; idx >= 0 && guard < 64; guard++) {
    const s = idx - p;
    if (s !== 0 && (best === null || Math.abs(s) < Math.abs(best))) best = s;
    idx = E.indexOf(win, idx + 1);
  }
  return best;
}

/**
 * If the streams agree again at the same offsets shortly after `p` (the bad bytes replaced,
 * nothing inserted or removed), returns how many bytes differ in between; otherwise 0.
 */
function realignsInPlace(E: Buffer, A: Buffer, p: number): number {
  const end = Math.min(E.length, A.length);
  if (p >= end) return 0;
  for (let r = p + 1; r <= Math.min(p + CORRUPTION_SPAN, end); r++) {
    // Near the end of the data a shorter tail (or none) has to do.
    const m = Math.min(WINDOW, end - r);
    if (m === 0 || E.compare(A, r, r + m, r, r + m) === 0) {
      let bad = 0;
      for (let i = p; i < r; i++) if (E[i] !== A[i]) bad++;
      return bad;
    }
  }
  return 0;
}
