// A thread's schedule taking on another's share of the rate: from the time of speedUp() the
// rate is multiplied, what was due by then stays due by then, and timeOf() still inverts count().
import { describe, expect, it } from 'vitest';
import { RateSchedule } from '../../src/client/run/rateSchedule.js';

describe('RateSchedule.speedUp', () => {
  it('a constant rate doubled from 100 ms on: 50 messages by then, 4 per ms-pair after', () => {
    const s = new RateSchedule(500); // a message every 2 ms
    s.speedUp(100, 2);
    expect(s.count(100)).toBe(50);
    expect(s.count(60)).toBe(30); // before the shift: unchanged
    expect(s.count(110)).toBe(60); // 10 ms at 1000/s
    expect(s.timeOf(49)).toBe(98);
    expect(s.timeOf(50)).toBe(100);
    expect(s.timeOf(51)).toBe(101);
    expect(s.timeOf(60)).toBe(110);
    expect(s.factorAt(99)).toBe(1);
    expect(s.factorAt(100)).toBe(2);
  });

  it('two shifts in turn (three threads down to one): each from its own time', () => {
    const s = new RateSchedule(1000 / 3);
    s.speedUp(30, 1.5); // 3 threads -> 2
    s.speedUp(60, 3); // 2 -> 1
    expect(s.count(30)).toBeCloseTo(10, 9);
    expect(s.count(60)).toBeCloseTo(10 + 15, 9);
    expect(s.count(70)).toBeCloseTo(25 + 10, 9);
    for (const j of [3, 10, 17, 25, 31, 40]) expect(s.count(s.timeOf(j))).toBeCloseTo(j, 9);
  });

  it('a ramped rate keeps its shape, times the factor', () => {
    // 0 -> 1000/s over 1 s (500 messages), halved for this thread, then doubled back from 500 ms.
    const s = new RateSchedule(0, [{ durationMs: 1000, rate: 1000 }], 0.5);
    const before = s.count(500);
    s.speedUp(500, 2);
    expect(s.count(500)).toBeCloseTo(before, 9);
    expect(s.count(1000)).toBeCloseTo(before + 2 * (250 - before), 9);
    for (const j of [10, 62, 63, 100, 180]) expect(s.count(s.timeOf(j))).toBeCloseTo(j, 6);
  });
});
