/**
 * The ways a flood connection ends, and the seeded plan that decides, per connection index, which
 * way it ends and what it sends. The plan depends only on (seed, index, options), never on timing
 * or on which thread runs the connection, so a failing connection can be replayed.
 */
import { FRAME_HEADER_BYTES, fmix32 } from '../verify/frame.js';
import type { Range } from '../../units.js';

/** Every disconnect mode, in plan order (the order is part of the seeded plan). */
export const DISCONNECT_MODES = [
  'graceful', // closed-loop echoes, then FIN, read to EOF
  'half-close', // send everything, FIN, read the whole echo to EOF
  'rst-mid-frame', // some verified echoes, then half a frame, then RST
  'rst-after-echo', // verified echoes, then RST instead of a FIN (a client that crashes or is killed)
  'rst-send-pending', // write far more than the server can echo without reading, then RST
  'connect-rst', // RST right after the connection is established
  'connect-abort', // close while the connect is still in progress
  'idle', // one echo, hold the connection idle, one more echo, FIN
  'slow-drip', // frames written a few bytes at a time with pauses
] as const;
export type DisconnectMode = (typeof DISCONNECT_MODES)[number];
export type Mix = Record<DisconnectMode, number>;

/** Every mode, weighted toward the ones that verify data. */
export const DEFAULT_MIX: Mix = {
  graceful: 4,
  'half-close': 2,
  'rst-mid-frame': 1,
  'rst-after-echo': 1,
  'rst-send-pending': 1,
  'connect-rst': 1,
  'connect-abort': 1,
  idle: 1,
  'slow-drip': 1,
};

export interface ConnectionPlan {
  index: number;
  mode: DisconnectMode;
  /** How many frames to send (their sizes and cuts come from frameSize() and frameCut()). */
  frames: number;
  sizeMin: number;
  sizeMax: number;
  /** Cut each write in two at a seeded point, to exercise the server's partial reads. */
  split: boolean;
  /** Per-connection key of the frame sizes and cuts: derived lazily, so a plan of a million
   * frames costs no more than a plan of one. */
  key: number;
  /** idle: how long to hold between the first echo and the rest. */
  holdMs: number;
  /** slow-drip: pieces each frame is written in, and the pause between pieces. */
  dripPieces: number;
  dripDelayMs: number;
  /** rst-mid-frame: how many bytes of the last frame to write before the RST. */
  partialBytes: number;
  /** rst-send-pending: bytes to write without reading. */
  pendingBytes: number;
}

function hash2(key: number, i: number): number {
  return fmix32((key ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
}

/**
 * Length (header included) of frame `i` of the plan. `| 0`: hash2's result is a uint32, a double
 * to V8 above 2^31 - 1, and so is what `%` makes of it, however small: every length and offset
 * computed from it would be boxed. The result is at most --size's maximum, which options.ts
 * keeps within MAX_FRAME_BYTES.
 */
export function frameSize(p: ConnectionPlan, i: number): number {
  return (p.sizeMin + (hash2(p.key, 2 * i) % (p.sizeMax - p.sizeMin + 1))) | 0;
}

/** Where to cut the write of frame `i` in two (0 = one write). */
export function frameCut(p: ConnectionPlan, i: number): number {
  if (!p.split) return 0;
  const len = frameSize(p, i);
  return len > 1 ? (1 + (hash2(p.key, 2 * i + 1) % (len - 1))) | 0 : 0;
}

export interface PlanOptions {
  seed: number;
  mix: Mix;
  messages: Range;
  size: Range;
  split: boolean;
  idleHoldMs: Range;
  pendingBytes: number;
}

/** A small, fast, seedable PRNG (mulberry32); one per connection plan. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(rand: () => number, r: Range): number {
  return r.min + Math.floor(rand() * (r.max - r.min + 1));
}

/** The plan of connection `index`. Draw order is part of the contract: append, never reorder. */
export function planConnection(index: number, o: PlanOptions): ConnectionPlan {
  const rand = prng(Math.imul(o.seed ^ 0x5bd1e995, 0x27d4eb2d) ^ Math.imul(index + 1, 0x9e3779b1));
  let roll = rand() * DISCONNECT_MODES.reduce((s, m) => s + o.mix[m], 0);
  let mode: DisconnectMode = 'graceful';
  for (const m of DISCONNECT_MODES) {
    if (o.mix[m] <= 0) continue;
    mode = m;
    roll -= o.mix[m];
    if (roll < 0) break;
  }
  let count = pick(rand, o.messages);
  if (mode === 'connect-rst' || mode === 'connect-abort') count = 0;
  else if (mode === 'idle' || mode === 'rst-mid-frame') count = Math.max(count, 2);
  else if (mode === 'slow-drip') count = Math.min(Math.max(count, 1), 3);
  else count = Math.max(count, 1);
  const plan: ConnectionPlan = {
    index,
    mode,
    frames: count,
    sizeMin: Math.max(FRAME_HEADER_BYTES, o.size.min),
    sizeMax: Math.max(FRAME_HEADER_BYTES, o.size.max),
    split: o.split,
    key: Math.floor(rand() * 4294967296),
    holdMs: pick(rand, o.idleHoldMs),
    dripPieces: 8 + Math.floor(rand() * 25),
    dripDelayMs: 1 + Math.floor(rand() * 8),
    partialBytes: 0,
    pendingBytes: o.pendingBytes,
  };
  const last = count > 0 ? frameSize(plan, count - 1) : FRAME_HEADER_BYTES;
  plan.partialBytes = 1 + Math.floor(rand() * (last - 1));
  return plan;
}
