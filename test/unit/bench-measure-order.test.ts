// The bench measures the two servers of every judged ratio back to back: on a machine whose speed
// drifts within a minute, a ratio between samples taken a round apart measures the drift.
import { describe, expect, it } from 'vitest';

type MeasureOrder = (names: string[], run: number) => string[];
const servers = '../../bench/lib/servers.mjs';
const { measureOrder } = (await import(servers)) as { measureOrder: MeasureOrder };

const ALL = ['epoll', 'node', 'epoll-plain', 'c', 'c-shared', 'floor', 'node-ref']; // serverDefs' order

/** Distance between two servers in a round's order. */
const gap = (order: string[], a: string, b: string) => Math.abs(order.indexOf(a) - order.indexOf(b));

describe('bench measuring order', () => {
  it('puts each judged pair next to each other in every round', () => {
    for (let run = 1; run <= 4; run++) {
      const order = measureOrder(ALL, run);
      expect([...order].sort()).toEqual([...ALL].sort());
      expect(gap(order, 'epoll', 'c')).toBe(1);
      expect(gap(order, 'floor', 'c')).toBe(1);
      expect(gap(order, 'node-ref', 'node')).toBe(1);
      expect(gap(order, 'epoll', 'node')).toBeLessThanOrEqual(3);
    }
  });

  it('measures the io_uring floor next to c-uring', () => {
    const withUring = [...ALL, 'c-uring', 'uring-floor'];
    for (let run = 1; run <= 4; run++) {
      const order = measureOrder(withUring, run);
      expect(gap(order, 'uring-floor', 'c-uring')).toBe(1);
      expect(gap(order, 'epoll', 'c')).toBe(1);
      expect(gap(order, 'epoll', 'c-uring')).toBe(1);
    }
  });

  it('alternates which server of a pair goes first', () => {
    expect(measureOrder(ALL, 1)).toEqual(['node-ref', 'node', 'floor', 'c', 'epoll', 'c-shared', 'epoll-plain']);
    expect(measureOrder(ALL, 2)).toEqual(['epoll-plain', 'c-shared', 'epoll', 'c', 'floor', 'node', 'node-ref']);
    expect(measureOrder(ALL, 3)).toEqual(measureOrder(ALL, 1));
  });

  it('keeps a subset (--servers) and servers it does not know', () => {
    expect(measureOrder(['c', 'epoll'], 1)).toEqual(['c', 'epoll']);
    expect(measureOrder(['c', 'epoll'], 2)).toEqual(['epoll', 'c']);
    expect(measureOrder(['x', 'epoll', 'node'], 1)).toEqual(['node', 'epoll', 'x']);
  });
});
