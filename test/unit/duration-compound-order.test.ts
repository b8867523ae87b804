// A compound duration goes from the largest unit down, each unit once: `1m1m` (a doubled part
// where 1m30s was meant) or `30s1m` is refused, not summed into 2m or 90s behind the user's back.
import { describe, expect, it } from 'vitest';
import { parseDurationMs } from '../../src/units.js';

describe('compound durations', () => {
  it('are read largest unit first', () => {
    expect(parseDurationMs('-d', '1h5m')).toBe(3_900_000);
    expect(parseDurationMs('-d', '1m30s')).toBe(90_000);
    expect(parseDurationMs('-d', '1min30s')).toBe(90_000);
    expect(parseDurationMs('--interval', '2s500ms')).toBe(2500);
    expect(parseDurationMs('--timeout', '1ms500us')).toBe(1.5);
  });

  it.each(['1m1m', '30s1m', '1s1h', '500ms2s', '1m1min', '5s5s'])('%s is refused, in one line naming the flag', (raw) => {
    expect(() => parseDurationMs('-d', raw)).toThrow(
      new RegExp(`^-d: not a duration: a compound one goes from the largest unit down, each once \\(1h5m, 1m30s, 2s500ms\\) \\(got "${raw}"\\)$`),
    );
  });
});
