/**
 * The session table: one SharedArrayBuffer seen by every worker thread.
 *
 * Each slot is 16 int32 (one 64-byte cache line): lifetime (state, generation, reference count),
 * the socket handle, the echo ring's cursors and the descriptor of each pending operation.
 * This module is the only one that touches reference counts (README, "Session lifetime"):
 *  - acquire() before every OS call that hands the slot's memory to the kernel;
 *  - release() exactly once per operation outcome; it tells the caller when the count reached 0;
 *  - beginClose() is the single OPEN -> CLOSING transition; free() bumps the generation.
 * The free list is a stack behind a spin lock: alloc/free happen once per connection, so a lock
 * costs nothing measurable, and unlike a lock-free stack it has no ABA hazard.
 */

export const STATE_FREE = 0;
export const STATE_OPEN = 1;
export const STATE_CLOSING = 2;

// Field offsets inside a slot (int32 units).
export const F_STATE = 0;
export const F_GEN = 1;
export const F_REFS = 2;
export const F_HANDLE = 3; // socket fd / SOCKET
export const F_AUX = 4; // backend-owned: epoll keeps the dup() that carries the send registration
export const F_LOCK = 5; // guards the echo fields below (ring cursors and FLAGS)
export const F_HEAD = 6; // ring offset of the first byte not yet echoed
export const F_COUNT = 7; // bytes in the ring not yet echoed
export const F_FLAGS = 8;
export const F_ACTIVE = 9; // last activity, in ms since clockOrigin (wraps after 24 days)
export const F_NEXT = 10; // free-list link
export const F_RECV_OFF = 11; // descriptor of the pending receive (ring offset, length)
export const F_RECV_LEN = 12;
export const F_SEND_OFF = 13; // descriptor of the pending send
export const F_SEND_LEN = 14;
export const F_BFLAGS = 15; // backend-owned flags (registrations made, ...)
export const SLOT_INTS = 16;

// F_FLAGS bits (echo state, under F_LOCK).
export const FL_RECV_POSTED = 1;
export const FL_SEND_POSTED = 2;
export const FL_EOF = 4;
export const FL_RST = 8; // close with RST (idle timeout, shutdown, an operation that failed here)
export const FL_SHUT_WR = 16; // our FIN has been sent

// Global header (int32 units) before the slots.
const G_FREE_LOCK = 0;
const G_FREE_HEAD = 1;
const G_LIVE = 2;
const G_PEAK = 3;
const G_STOPPING = 4;
const HEADER_INTS = 16; // padded to 64 bytes, the size of a slot

const NIL = -1;

export class SessionTable {
  readonly capacity: number;
  readonly sab: SharedArrayBuffer;
  readonly i32: Int32Array;
  /** The Date.now() that now() counts from: activity times fit an int32 slot field. */
  readonly clockOrigin: number;

  /** Make a new table (main thread), or attach to an existing one (workers, with the maker's clockOrigin). */
  constructor(capacityOrSab: number | SharedArrayBuffer, clockOrigin = Date.now()) {
    if (typeof capacityOrSab === 'number') {
      this.capacity = capacityOrSab;
      this.sab = new SharedArrayBuffer((HEADER_INTS + capacityOrSab * SLOT_INTS) * 4);
      this.i32 = new Int32Array(this.sab);
      for (let s = 0; s < capacityOrSab; s++) {
        const b = this.base(s);
        this.i32[b + F_HANDLE] = -1;
        this.i32[b + F_AUX] = -1;
        this.i32[b + F_NEXT] = s + 1 < capacityOrSab ? s + 1 : NIL;
      }
      this.i32[G_FREE_HEAD] = capacityOrSab > 0 ? 0 : NIL;
    } else {
      this.sab = capacityOrSab;
      this.i32 = new Int32Array(this.sab);
      this.capacity = this.i32.length / SLOT_INTS - 1;
    }
    this.clockOrigin = clockOrigin;
  }

  /** Index of the slot's first int32 in i32. */
  base(slot: number): number {
    return HEADER_INTS + slot * SLOT_INTS;
  }

  /** Take a free slot: OPEN, one reference (the accepting path's). -1 if full. */
  alloc(): number {
    this.lockFree();
    const slot = this.i32[G_FREE_HEAD];
    if (slot !== NIL) this.i32[G_FREE_HEAD] = this.i32[this.base(slot) + F_NEXT];
    Atomics.store(this.i32, G_FREE_LOCK, 0);
    if (slot === NIL) return -1;
    const b = this.base(slot);
    const i = this.i32;
    i[b + F_HEAD] = 0;
    i[b + F_COUNT] = 0;
    i[b + F_FLAGS] = 0;
    i[b + F_BFLAGS] = 0;
    i[b + F_ACTIVE] = this.now();
    Atomics.store(i, b + F_REFS, 1); // the accepting path's hold; released once the first receive is posted
    // Stryker disable next-line ArithmeticOperator: F_STATE is 0, so b - F_STATE is the same index
    Atomics.store(i, b + F_STATE, STATE_OPEN);
    const live = Atomics.add(i, G_LIVE, 1) + 1;
    let peak = Atomics.load(i, G_PEAK);
    while (live > peak) {
      const seen = Atomics.compareExchange(i, G_PEAK, peak, live);
      if (seen === peak) break;
      peak = seen;
    }
    return slot;
  }

  /**
   * Return a slot to the free list and bump its generation, so that any completion still carrying
   * the old (slot, generation) is recognisably stale. Returns false when the slot was already free
   * (a double free: only the naive lifetime can do that).
   */
  free(slot: number): boolean {
    const b = this.base(slot);
    const i = this.i32;
    // Stryker disable next-line ArithmeticOperator: F_STATE is 0, so b - F_STATE is the same index
    const prev = Atomics.exchange(i, b + F_STATE, STATE_FREE);
    if (prev === STATE_FREE) return false;
    Atomics.add(i, b + F_GEN, 1);
    Atomics.store(i, b + F_REFS, 0);
    i[b + F_HANDLE] = -1;
    i[b + F_AUX] = -1;
    Atomics.sub(i, G_LIVE, 1);
    this.lockFree();
    i[b + F_NEXT] = i[G_FREE_HEAD];
    i[G_FREE_HEAD] = slot;
    Atomics.store(i, G_FREE_LOCK, 0);
    return true;
  }

  /** One more pending operation on the slot. Call before the OS call, never after. */
  acquire(slot: number): void {
    Atomics.add(this.i32, this.base(slot) + F_REFS, 1);
  }

  /**
   * Take a reference only if the slot still has one (it is not being freed). For closers that
   * own no operation of the slot (shutdown, idle scan): without it, the slot could be freed and
   * reused between their check and their cancel. The slot may have been reused since the caller
   * looked; callers re-check what they need once this returns true.
   */
  tryAcquire(slot: number): boolean {
    const at = this.base(slot) + F_REFS;
    let refs = Atomics.load(this.i32, at);
    while (refs > 0) {
      const seen = Atomics.compareExchange(this.i32, at, refs, refs + 1);
      if (seen === refs) return true;
      refs = seen;
    }
    return false;
  }

  /** An operation's outcome is known. True when this was the last reference. */
  release(slot: number): boolean {
    return Atomics.sub(this.i32, this.base(slot) + F_REFS, 1) === 1;
  }

  refs(slot: number): number {
    return Atomics.load(this.i32, this.base(slot) + F_REFS);
  }

  /** OPEN -> CLOSING, exactly once. True for the caller that made the transition. */
  beginClose(slot: number): boolean {
    // Stryker disable next-line ArithmeticOperator: F_STATE is 0, so b - F_STATE is the same index
    const b = this.base(slot) + F_STATE;
    return Atomics.compareExchange(this.i32, b, STATE_OPEN, STATE_CLOSING) === STATE_OPEN;
  }

  state(slot: number): number {
    // Stryker disable next-line ArithmeticOperator: F_STATE is 0, so b - F_STATE is the same index
    return Atomics.load(this.i32, this.base(slot) + F_STATE);
  }

  generation(slot: number): number {
    return Atomics.load(this.i32, this.base(slot) + F_GEN);
  }

  /** Per-session spin lock around the echo state; held only for a few field updates. */
  lock(slot: number): void {
    const at = this.base(slot) + F_LOCK;
    while (Atomics.compareExchange(this.i32, at, 0, 1) !== 0) {
      // Spin: the holder never makes a system call while holding it.
    }
  }

  unlock(slot: number): void {
    Atomics.store(this.i32, this.base(slot) + F_LOCK, 0);
  }

  /** Milliseconds since clockOrigin (F_ACTIVE's unit). */
  now(): number {
    return (Date.now() - this.clockOrigin) | 0;
  }

  live(): number {
    return Atomics.load(this.i32, G_LIVE);
  }

  peak(): number {
    return Atomics.load(this.i32, G_PEAK);
  }

  stopping(): boolean {
    return Atomics.load(this.i32, G_STOPPING) !== 0;
  }

  setStopping(): void {
    Atomics.store(this.i32, G_STOPPING, 1);
  }

  private lockFree(): void {
    while (Atomics.compareExchange(this.i32, G_FREE_LOCK, 0, 1) !== 0) {
      // Spin: alloc/free hold it for a handful of stores.
    }
  }
}
