// The native transport's timer heap: timers fire in deadline order, timers with one deadline in
// the order they were set, cancelled ones never, and a firing never runs timers its callbacks set.
import { describe, expect, it } from 'vitest';
import { TimerHeap, cancelTimer } from '../../src/client/transport/timerHeap.js';

const nothing = (): void => {};

/** A small seeded generator, so a failure names a reproducible order. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('TimerHeap', () => {
  it('fires due timers in deadline order, whatever order they were set in', () => {
    const heap = new TimerHeap();
    const fired: number[] = [];
    const rand = lcg(7);
    const deadlines = Array.from({ length: 200 }, () => Math.floor(rand() * 1000));
    for (const at of deadlines) heap.add(() => fired.push(at), at);
    heap.runDue(1000, nothing);
    expect(fired).toEqual([...deadlines].sort((a, b) => a - b));
    expect(heap.size).toBe(0);
  });

  it('leaves timers that are not due yet', () => {
    const heap = new TimerHeap();
    const fired: number[] = [];
    for (const at of [30, 10, 40, 20]) heap.add(() => fired.push(at), at);
    heap.runDue(25, nothing);
    expect(fired).toEqual([10, 20]);
    expect(heap.nextDeadline()).toBe(30);
    heap.runDue(40, nothing);
    expect(fired).toEqual([10, 20, 30, 40]);
    expect(heap.nextDeadline()).toBe(Infinity);
  });

  it('fires timers with the same deadline in the order they were set', () => {
    const heap = new TimerHeap();
    const fired: string[] = [];
    const rand = lcg(11);
    // Five deadlines, forty timers each, set interleaved: sift-up and sift-down both reorder.
    const set: string[] = [];
    for (let i = 0; i < 200; i++) {
      const at = Math.floor(rand() * 5);
      const name = `${at}:${i}`;
      set.push(name);
      heap.add(() => fired.push(name), at);
    }
    heap.runDue(5, nothing);
    const byDeadlineThenSetOrder = [...set].sort((a, b) => {
      const [da, ia] = a.split(':').map(Number) as [number, number];
      const [db, ib] = b.split(':').map(Number) as [number, number];
      return da - db || ia - ib;
    });
    expect(fired).toEqual(byDeadlineThenSetOrder);
  });

  it('never fires a cancelled timer, and the next deadline skips it', () => {
    const heap = new TimerHeap();
    const fired: number[] = [];
    const timers = [10, 20, 30].map((at) => heap.add(() => fired.push(at), at));
    cancelTimer(timers[0]!);
    cancelTimer(timers[2]!);
    expect(heap.nextDeadline()).toBe(20);
    heap.runDue(100, nothing);
    expect(fired).toEqual([20]);
    expect(heap.nextDeadline()).toBe(Infinity);
    // Cancelling a timer that has fired is harmless.
    cancelTimer(timers[1]!);
    expect(fired).toEqual([20]);
  });

  it('calls `after` after each timer it takes, cancelled ones included', () => {
    const heap = new TimerHeap();
    const log: string[] = [];
    heap.add(() => log.push('a'), 1);
    cancelTimer(heap.add(() => log.push('cancelled'), 2));
    heap.add(() => log.push('c'), 3);
    heap.runDue(3, () => log.push('after'));
    expect(log).toEqual(['a', 'after', 'after', 'c', 'after']);
  });

  it('leaves timers set by firing callbacks for the next call, even when already due', () => {
    const heap = new TimerHeap();
    const fired: string[] = [];
    heap.add(() => {
      fired.push('first');
      heap.add(() => fired.push('set while firing'), 0);
    }, 5);
    heap.runDue(5, nothing);
    expect(fired).toEqual(['first']);
    heap.runDue(5, nothing);
    expect(fired).toEqual(['first', 'set while firing']);
  });
});
