// A measured time is written for people: milliseconds, then seconds to a tenth, then minutes and
// seconds, then hours and minutes, never "979.4 s" for a quarter of an hour.
import { describe, expect, it } from 'vitest';
import { formatSpan } from '../../src/units.js';

describe('formatSpan', () => {
  it.each([
    [0, '0 ms'],
    [86.4, '86 ms'],
    [999.4, '999 ms'],
    [999.6, '1.0 s'],
    [1000, '1.0 s'],
    [2480, '2.5 s'],
    [59_949, '59.9 s'],
    [59_950, '1 min 00 s'],
    [60_000, '1 min 00 s'],
    [61_000, '1 min 01 s'],
    [979_400, '16 min 19 s'],
    [3_599_400, '59 min 59 s'],
    [3_599_600, '1 h 00 min'],
    [7_500_000, '2 h 05 min'],
    [86_400_000, '24 h 00 min'],
  ])('%d ms -> %s', (ms, text) => {
    expect(formatSpan(ms)).toBe(text);
  });

  it('shows a value that is not a time as it is', () => {
    expect(formatSpan(Number.NaN)).toBe('NaN');
    expect(formatSpan(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });
});
