// The open loop's schedule: a constant rate puts message j at j / r; ramped stages put as many
// messages by time t as the integral of the linear rate up to t, and timeOf() inverts count().
import { describe, expect, it } from 'vitest';
import { RateSchedule } from '../../src/client/run/rateSchedule.js';

describe('RateSchedule', () => {
  it('a constant rate: message j at j / r, without end', () => {
    const s = new RateSchedule(2000);
    expect(s.timeOf(0)).toBe(0);
    expect(s.timeOf(2000)).toBe(1000);
    expect(s.count(250)).toBe(500);
    expect(s.total).toBe(Infinity);
  });

  it('stages: the integral of a linear ramp, and its inverse', () => {
    // 0 -> 1000/s over 2 s (1000 messages), 1000/s for 1 s (1000), 1000 -> 0 over 2 s (1000).
    const s = new RateSchedule(0, [
      { durationMs: 2000, rate: 1000 },
      { durationMs: 1000, rate: 1000 },
      { durationMs: 2000, rate: 0 },
    ]);
    expect(s.total).toBe(3000);
    expect(s.count(1000)).toBeCloseTo(250, 9); // a quarter of the ramp's area by its half-way point
    expect(s.count(2000)).toBeCloseTo(1000, 9);
    expect(s.count(2500)).toBeCloseTo(1500, 9);
    expect(s.count(4000)).toBeCloseTo(2750, 9);
    expect(s.count(9000)).toBe(3000);
    for (const j of [1, 250, 999, 1000, 1500, 2750, 2999]) expect(s.count(s.timeOf(j))).toBeCloseTo(j, 6);
    expect(s.timeOf(250)).toBeCloseTo(1000, 6);
    expect(s.timeOf(3000)).toBe(Infinity);
    // Non-decreasing in j.
    let last = -1;
    for (let j = 0; j < 3000; j += 7) {
      const t = s.timeOf(j);
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
  });

  it('a thread takes its share of every stage', () => {
    const s = new RateSchedule(0, [{ durationMs: 1000, rate: 900 }], 1 / 3);
    expect(s.total).toBeCloseTo(150, 9);
  });
});
