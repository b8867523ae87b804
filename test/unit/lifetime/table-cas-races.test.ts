// Every compare-and-swap loop of the table copes with another worker changing the word between its
// read and its swap (simulated here by doing the other worker's write just before the swap): it
// retries or gives up as the word now says, and each spin lock waits for its holder.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { F_LOCK, F_REFS, SessionTable } from '../../../src/server/sessionTable.js';

const G_FREE_LOCK = 0;
const G_LIVE = 2;
const G_PEAK = 3;
const realCas = Atomics.compareExchange.bind(Atomics) as (a: Int32Array, i: number, e: number, r: number) => number;

/** Run `other(n)` just before the n-th compare-and-swap on i32[index] (n from 1). */
function beforeSwap(i32: Int32Array, index: number, other: (n: number) => void): () => number {
  let n = 0;
  vi.spyOn(Atomics, 'compareExchange').mockImplementation(((a: Int32Array, i: number, e: number, r: number) => {
    if (a.buffer === i32.buffer && i === index) other(++n);
    return realCas(a, i, e, r);
  }) as never);
  return () => n;
}

describe('compare-and-swap loops under interleaving', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('tryAcquire gives up when the last reference is dropped before its swap', () => {
    const t = new SessionTable(2);
    t.alloc();
    const s = t.alloc();
    const at = t.base(s) + F_REFS;
    beforeSwap(t.i32, at, (n) => {
      if (n === 1) t.i32[at] = 0; // the owner's release
    });
    expect(t.tryAcquire(s)).toBe(false);
    expect(t.refs(s)).toBe(0);
  });

  it('tryAcquire retries when another reference is taken before its swap', () => {
    const t = new SessionTable(2);
    t.alloc();
    const s = t.alloc();
    const at = t.base(s) + F_REFS;
    const swaps = beforeSwap(t.i32, at, (n) => {
      if (n === 1) t.i32[at] = 2; // another worker's acquire
    });
    expect(t.tryAcquire(s)).toBe(true);
    expect(t.refs(s)).toBe(3);
    expect(swaps()).toBe(2);
  });

  it('the peak keeps the highest live count when a smaller one lands first', () => {
    const t = new SessionTable(4);
    t.alloc(); // live 1, peak 1
    t.i32[G_LIVE] += 2; // two other workers' allocs are under way: live 3, peak not yet raised
    beforeSwap(t.i32, G_PEAK, (n) => {
      if (n === 1) t.i32[G_PEAK] = 2; // the first of them raises the peak to its count
    });
    t.alloc(); // live 4
    expect(t.live()).toBe(4);
    expect(t.peak()).toBe(4);
  });

  it('lock() does not return while another worker holds the session lock', () => {
    const t = new SessionTable(2);
    const s = 1;
    const at = t.base(s) + F_LOCK;
    t.i32[at] = 1; // held
    let released = false;
    beforeSwap(t.i32, at, (n) => {
      if (n === 3) {
        released = true;
        Atomics.store(t.i32, at, 0);
      }
    });
    t.lock(s);
    expect(released).toBe(true);
    expect(t.i32[at]).toBe(1); // and now this thread holds it
    t.unlock(s);
    expect(t.i32[at]).toBe(0);
  });

  it('alloc and free wait for the free-list lock', () => {
    const t = new SessionTable(3);
    for (const op of ['alloc', 'free'] as const) {
      t.i32[G_FREE_LOCK] = 1; // another worker is pushing or popping
      let released = false;
      beforeSwap(t.i32, G_FREE_LOCK, (n) => {
        if (n === 3) {
          released = true;
          Atomics.store(t.i32, G_FREE_LOCK, 0);
        }
      });
      if (op === 'alloc') expect(t.alloc()).toBe(0);
      else expect(t.free(0)).toBe(true);
      expect(released).toBe(true);
      expect(t.i32[G_FREE_LOCK]).toBe(0); // released again after the update
      vi.restoreAllMocks();
    }
    expect([t.alloc(), t.alloc(), t.alloc(), t.alloc()]).toEqual([0, 1, 2, -1]);
  });
});
