// Taking and freeing a slot writes that slot's own fields and the table's counters, nothing else:
// its neighbours' fields and the header's other words are left exactly as they were.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  F_ACTIVE,
  F_AUX,
  F_BFLAGS,
  F_COUNT,
  F_FLAGS,
  F_GEN,
  F_HANDLE,
  F_HEAD,
  F_LOCK,
  F_NEXT,
  F_RECV_LEN,
  F_RECV_OFF,
  F_REFS,
  F_SEND_LEN,
  F_SEND_OFF,
  F_STATE,
  SLOT_INTS,
  STATE_FREE,
  STATE_OPEN,
  SessionTable,
} from '../../../src/server/sessionTable.js';

const HEADER_INTS = 16;
const G_FREE_HEAD = 1;
const G_LIVE = 2;
const G_PEAK = 3;
/** Header words alloc and free may change. */
const FREE_LIST_WORDS = [0, G_FREE_HEAD, G_LIVE, G_PEAK];

/** Every int32 of the table that is not one of `slot`'s fields nor a free-list/live word. */
function outside(t: SessionTable, slot: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let k = 0; k < t.i32.length; k++) {
    const mine = k >= t.base(slot) && k < t.base(slot) + SLOT_INTS;
    if (!mine && !FREE_LIST_WORDS.includes(k)) out.push([k, t.i32[k]!]);
  }
  return out;
}

/** Give every field of every slot, and the header's spare words, a distinct value. */
function scribble(t: SessionTable): void {
  for (let k = HEADER_INTS; k < t.i32.length; k++) {
    const f = (k - HEADER_INTS) % SLOT_INTS;
    if (f !== F_STATE && f !== F_NEXT && f !== F_LOCK && f !== F_REFS && f !== F_GEN) t.i32[k] = 1000 + k;
  }
  for (let k = 5; k < HEADER_INTS; k++) t.i32[k] = 500 + k;
}

describe('slot fields are the slot’s own', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('alloc of a middle slot resets its echo state and touches nothing else', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_700_000_005_000 });
    const t = new SessionTable(4, 1_700_000_000_000);
    expect([t.alloc(), t.alloc(), t.alloc(), t.alloc()]).toEqual([0, 1, 2, 3]);
    for (const s of [2, 1]) t.free(s);
    scribble(t);
    for (const s of [1, 2]) {
      const before = outside(t, s);
      const b = t.base(s);
      const handle = t.i32[b + F_HANDLE];
      const recv = [t.i32[b + F_RECV_OFF], t.i32[b + F_RECV_LEN], t.i32[b + F_SEND_OFF], t.i32[b + F_SEND_LEN]];
      expect(t.alloc()).toBe(s);
      expect(outside(t, s)).toEqual(before);
      expect(t.i32[b + F_STATE]).toBe(STATE_OPEN);
      expect(t.i32[b + F_REFS]).toBe(1);
      expect(t.i32[b + F_GEN]).toBe(1);
      expect([t.i32[b + F_HEAD], t.i32[b + F_COUNT], t.i32[b + F_FLAGS], t.i32[b + F_BFLAGS]]).toEqual([0, 0, 0, 0]);
      expect(t.i32[b + F_ACTIVE]).toBe(5_000); // now, in ms since the table's epoch
      // Fields the backend and the engine own are theirs to set.
      expect(t.i32[b + F_HANDLE]).toBe(handle);
      expect([t.i32[b + F_RECV_OFF], t.i32[b + F_RECV_LEN], t.i32[b + F_SEND_OFF], t.i32[b + F_SEND_LEN]]).toEqual(recv);
    }
  });

  it('free of a middle slot clears its handles, bumps its generation and touches nothing else', () => {
    const t = new SessionTable(4);
    for (let k = 0; k < 4; k++) t.alloc();
    scribble(t);
    for (const s of [2, 1]) {
      const before = outside(t, s);
      const b = t.base(s);
      t.acquire(s);
      expect(t.free(s)).toBe(true);
      expect(outside(t, s)).toEqual(before);
      expect(t.i32[b + F_STATE]).toBe(STATE_FREE);
      expect(t.i32[b + F_GEN]).toBe(1);
      expect(t.i32[b + F_REFS]).toBe(0);
      expect([t.i32[b + F_HANDLE], t.i32[b + F_AUX]]).toEqual([-1, -1]);
    }
    // Slot 1 went last, so it comes back first, then 2.
    expect([t.alloc(), t.alloc(), t.alloc()]).toEqual([1, 2, -1]);
  });

  it('reference counts, states and generations of neighbouring slots are independent', () => {
    const t = new SessionTable(3);
    const [a, b, c] = [t.alloc(), t.alloc(), t.alloc()];
    t.acquire(b);
    t.acquire(b);
    expect([t.refs(a), t.refs(b), t.refs(c)]).toEqual([1, 3, 1]);
    expect(t.release(b)).toBe(false);
    expect([t.refs(a), t.refs(b), t.refs(c)]).toEqual([1, 2, 1]);
    expect(t.beginClose(b)).toBe(true);
    expect([t.state(a), t.state(c)]).toEqual([STATE_OPEN, STATE_OPEN]);
    expect(t.tryAcquire(c)).toBe(true);
    expect([t.refs(a), t.refs(b), t.refs(c)]).toEqual([1, 2, 2]);
    t.free(b);
    expect([t.generation(a), t.generation(b), t.generation(c)]).toEqual([0, 1, 0]);
    t.lock(c);
    expect([t.i32[t.base(a) + F_LOCK], t.i32[t.base(b) + F_LOCK], t.i32[t.base(c) + F_LOCK]]).toEqual([0, 0, 1]);
    t.unlock(c);
    expect(t.i32[t.base(c) + F_LOCK]).toBe(0);
  });
});
