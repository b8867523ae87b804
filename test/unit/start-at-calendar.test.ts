// --start-at reads a calendar time strictly: a day the month lacks (02-30), hour 24 or minute 60
// is refused rather than rolled over into another time; leap days are days.
import { describe, expect, it } from 'vitest';
import { parseStartAt } from '../../src/client/startAt.js';
import { UsageError } from '../../src/errors.js';

describe('--start-at calendar times', () => {
  it.each(['2026-02-30T00:00:00Z', '2026-04-31T12:00:00Z', '2026-13-01T00:00:00Z', '2026-00-10T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T12:60:00Z', '2026-01-01T12:00:60Z', '2025-02-29T00:00:00Z'])(
    '%s: not a valid time',
    (raw) => {
      expect(() => parseStartAt(raw)).toThrow(new UsageError(`--start-at: not a valid time (got "${raw}")`));
    },
  );

  it('real days and zones are read as given', () => {
    expect(parseStartAt('2028-02-29T00:00:00Z')).toBe(Date.UTC(2028, 1, 29));
    expect(parseStartAt('2026-12-31T23:59:59.5Z')).toBe(Date.UTC(2026, 11, 31, 23, 59, 59, 500));
    expect(parseStartAt('2026-06-30T02:00:00+02:00')).toBe(Date.UTC(2026, 5, 30, 0, 0, 0));
    expect(parseStartAt('+30', 1000)).toBe(31_000);
  });
});
