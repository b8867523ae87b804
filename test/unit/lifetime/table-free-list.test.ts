// Freed slots are handed out again last-freed first, each free bumps the generation once, and
// freeing a slot that is already free is refused (counted by the caller as a double free) without
// corrupting the free list or the live count.
import { describe, expect, it } from 'vitest';
import { STATE_FREE, SessionTable } from '../../../src/server/sessionTable.js';

describe('the free list', () => {
  it('is last-in first-out', () => {
    const t = new SessionTable(4);
    for (let k = 0; k < 4; k++) t.alloc();
    t.free(2);
    t.free(0);
    t.free(3);
    expect([t.alloc(), t.alloc(), t.alloc(), t.alloc()]).toEqual([3, 0, 2, -1]);
  });

  it('a double free returns false and changes nothing', () => {
    const t = new SessionTable(3);
    const [a, b] = [t.alloc(), t.alloc()];
    expect(t.free(a)).toBe(true);
    const before = Array.from(t.i32);
    expect(t.free(a)).toBe(false);
    expect(Array.from(t.i32)).toEqual(before);
    expect(t.generation(a)).toBe(1);
    expect(t.live()).toBe(1);
    // The slot is on the free list once: the table still fills up at exactly its capacity.
    expect([t.alloc(), t.alloc(), t.alloc()]).toEqual([a, 2, -1]);
    expect(t.state(b)).not.toBe(STATE_FREE);
  });

  it('a reused slot comes back one generation on, every time', () => {
    const t = new SessionTable(1);
    for (let g = 0; g < 5; g++) {
      const s = t.alloc();
      expect(s).toBe(0);
      expect(t.generation(s)).toBe(g);
      expect(t.free(s)).toBe(true);
    }
    expect(t.generation(0)).toBe(5);
  });
});
