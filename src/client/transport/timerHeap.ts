/**
 * The native transport's timers: a binary min-heap on (deadline, creation order), so timers fire
 * in deadline order and timers with the same deadline in the order they were set. Pure JS, no
 * clock of its own: the event loop passes the times in.
 */

/** One timer; also the handle setTimer() returns. `fn` is null once it has fired or been cancelled. */
export interface Timer {
  at: number;
  seq: number;
  fn: (() => void) | null;
}

/** Cancels `t`, whichever heap holds it: it is dropped lazily when it reaches the top (no search). */
export function cancelTimer(t: Timer): void {
  t.fn = null;
}

export class TimerHeap {
  private readonly heap: Timer[] = [];
  private seq = 0;

  /** Timers in the heap, cancelled ones included until they reach the top. */
  get size(): number {
    return this.heap.length;
  }

  /** A timer that calls `fn` once `at` (a performance.now() time) has passed. */
  add(fn: () => void, at: number): Timer {
    const t: Timer = { at, seq: this.seq++, fn };
    const h = this.heap;
    let i = h.push(t) - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(t, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = t;
    return t;
  }

  /** The earliest live deadline (cancelled timers on top are dropped on the way), or Infinity. */
  nextDeadline(): number {
    const h = this.heap;
    while (h.length > 0 && h[0]!.fn === null) this.pop();
    return h.length > 0 ? h[0]!.at : Infinity;
  }

  /**
   * Fires the timers due at `now`, in order, calling `after` after each (fired or cancelled).
   * `now` is fixed and at most as many timers are taken as the heap held on entry, so timers set
   * by these callbacks wait for the next call: one that re-arms itself cannot starve the loop.
   */
  runDue(now: number, after: () => void): void {
    const h = this.heap;
    for (let k = h.length; k > 0 && h.length > 0 && h[0]!.at <= now; k--) {
      const t = this.pop();
      const fn = t.fn;
      t.fn = null;
      if (fn) fn();
      after();
    }
  }

  private pop(): Timer {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && before(h[r]!, h[l]!) ? r : l;
        if (!before(h[c]!, last)) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

/** Heap order: earlier deadline first; on a tie, the timer set first. */
function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
