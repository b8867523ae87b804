// A new table has every slot free with no socket, hands its slots out in index order until it is
// full, and a table attached to the same SharedArrayBuffer (a worker's view) is the same table.
import { describe, expect, it } from 'vitest';
import {
  F_AUX,
  F_GEN,
  F_HANDLE,
  F_NEXT,
  F_REFS,
  F_STATE,
  SLOT_INTS,
  STATE_FREE,
  STATE_OPEN,
  SessionTable,
} from '../../../src/server/sessionTable.js';

const HEADER_INTS = 16;
const G_FREE_HEAD = 1;

describe('a new session table', () => {
  it('is the header then one 16-int slot per session, each free, with no handle, linked in order', () => {
    const t = new SessionTable(3);
    expect(t.capacity).toBe(3);
    expect(t.i32.length).toBe(HEADER_INTS + 3 * SLOT_INTS);
    const want = new Int32Array(HEADER_INTS + 3 * SLOT_INTS);
    want[G_FREE_HEAD] = 0;
    for (let s = 0; s < 3; s++) {
      const b = HEADER_INTS + s * SLOT_INTS;
      expect(t.base(s)).toBe(b);
      want[b + F_HANDLE] = -1;
      want[b + F_AUX] = -1;
      want[b + F_NEXT] = s < 2 ? s + 1 : -1;
    }
    expect(Array.from(t.i32)).toEqual(Array.from(want));
    for (let s = 0; s < 3; s++) {
      expect(t.state(s)).toBe(STATE_FREE);
      expect(t.generation(s)).toBe(0);
      expect(t.refs(s)).toBe(0);
    }
    expect([t.live(), t.peak(), t.stopping()]).toEqual([0, 0, false]);
  });

  it('hands out slots 0, 1, 2 ... and then -1 while full, without disturbing the free list', () => {
    const t = new SessionTable(3);
    expect([t.alloc(), t.alloc(), t.alloc()]).toEqual([0, 1, 2]);
    expect(t.alloc()).toBe(-1);
    expect(t.alloc()).toBe(-1);
    expect(t.live()).toBe(3);
    t.free(1);
    expect(t.alloc()).toBe(1);
    expect(t.alloc()).toBe(-1);
  });

  it('with no slots, is full from the start', () => {
    const t = new SessionTable(0);
    expect(t.capacity).toBe(0);
    expect(t.alloc()).toBe(-1);
    expect(t.live()).toBe(0);
  });

  it('attached from its SharedArrayBuffer, has the same capacity and sees the same slots', () => {
    for (const n of [1, 5]) {
      const main = new SessionTable(n);
      const worker = new SessionTable(main.sab);
      expect(worker.capacity).toBe(n);
      expect(worker.i32.length).toBe(main.i32.length);
      const s = worker.alloc();
      expect(main.state(s)).toBe(STATE_OPEN);
      expect(main.refs(s)).toBe(1);
      expect(main.live()).toBe(1);
      worker.free(s);
      expect(main.i32[main.base(s) + F_GEN]).toBe(1);
      expect(main.i32[main.base(s) + F_STATE]).toBe(STATE_FREE);
      expect(main.i32[main.base(s) + F_REFS]).toBe(0);
    }
  });
});
