/**
 * The scratch-buffer echo. A receive posted echoAtOnce (the ring is empty and no send is posted,
 * so the engine will send exactly these bytes while it handles the completion) reads into this
 * worker's scratch buffer, and the send goes out from there: an echo then never touches the
 * session's ring, whose pages stay cold (never resident, for sessions that never had a partial
 * send). Bytes the socket does not take are copied into the ring, where the pending send finds
 * them. Scratch contents live only until this worker's next wait(), by which time the engine has
 * sent them or (a closing session) never will.
 */
import type { Libc } from '../../native/linux/libc.js';
import { allocArena, freeArena } from '../../native/memory.js';
import type { EchoRings } from './echoRings.js';

/** An offset: the receive reads into the session's ring, not into scratch. */
export const NOT_IN_SCRATCH = -1;
/** An address: the send is not the echo of a scratch receive, it reads from the ring. */
export const NOT_FROM_SCRATCH = 0;

/** Without io_uring: at least two rings' worth, never more than 1 MiB (a receive that does not fit uses the ring). */
const MIN_BYTES = 256 * 1024;
const MAX_BYTES = 1024 * 1024;

export class ScratchEcho {
  readonly bytes: number;
  private readonly arena: { ptr: bigint; address: number } | null;
  private used = 0;
  /** Counts this worker's waits: bytes recorded in an earlier one are gone (scratch was reused). */
  private waitNumber = 1;
  // Per slot, the scratch receive of the current wait: where its bytes are, how many (0: none),
  // the ring offset they stand for, and the (generation, wait) they were received in.
  private readonly at: Int32Array;
  private readonly held: Int32Array;
  private readonly ringOffset: Int32Array;
  private readonly gen: Int32Array;
  private readonly wait: Int32Array;

  /** `batchedBytes`: the size io_uring batching needs (one wait's worth of slices), or 0 without it. */
  constructor(
    private readonly libc: Libc,
    private readonly rings: EchoRings,
    slots: number,
    enabled: boolean,
    batchedBytes: number,
  ) {
    this.bytes = batchedBytes || Math.max(MIN_BYTES, Math.min(MAX_BYTES, 2 * rings.size));
    this.arena = enabled ? allocArena(this.bytes) : null;
    this.at = new Int32Array(slots);
    this.held = new Int32Array(slots);
    this.ringOffset = new Int32Array(slots);
    this.gen = new Int32Array(slots);
    this.wait = new Int32Array(slots);
  }

  /** The engine has handled the last batch: its scratch bytes are sent or no longer wanted. */
  nextWait(): void {
    this.waitNumber++;
    this.used = 0;
  }

  /** Where a receive of up to `len` bytes would go in scratch, or NOT_IN_SCRATCH when it does not fit. */
  room(len: number): number {
    return this.arena !== null && this.used + len <= this.bytes ? this.used : NOT_IN_SCRATCH;
  }

  /** Take `len` bytes at the offset room() gave (cache-line aligned, so receives never share a line). */
  take(len: number): void {
    this.used += (len + 63) & ~63;
  }

  address(offset: number): number {
    return this.arena!.address + offset;
  }

  /** A receive read `bytes` > 0 into scratch at `offset`, standing for ring[ringOffset, ...). */
  remember(slot: number, gen: number, offset: number, bytes: number, ringOffset: number): void {
    this.at[slot] = offset;
    this.held[slot] = bytes;
    this.ringOffset[slot] = ringOffset;
    this.gen[slot] = gen;
    this.wait[slot] = this.waitNumber;
  }

  /**
   * Where this send's bytes are in scratch, when it is the echo of what this worker's current
   * wait received there (NOT_FROM_SCRATCH otherwise). Scratch bytes it does not stand for (the
   * engine's promise did not hold) are first copied into the ring, where every other send reads them.
   */
  sourceFor(slot: number, gen: number, offset: number, len: number): number {
    const held = this.held[slot];
    if (held === 0) return NOT_FROM_SCRATCH;
    this.held[slot] = 0;
    if (this.wait[slot] !== this.waitNumber || this.gen[slot] !== gen) return NOT_FROM_SCRATCH;
    const at = this.arena!.address + this.at[slot];
    if (this.ringOffset[slot] === offset && held === len) return at;
    this.libc.memcpy(this.rings.address(slot, this.ringOffset[slot]), at, held);
    return NOT_FROM_SCRATCH;
  }

  dispose(): void {
    if (this.arena) freeArena(this.arena.ptr);
  }
}
