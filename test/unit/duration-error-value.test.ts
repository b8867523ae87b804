// A time option that is refused names the value as it was typed: not with the bare number's unit
// added ("1.2.3s" for 1.2.3), and not as the milliseconds it was read as ("0.25" for 250us).
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { validateServerOptions } from '../../src/server/validate.js';
import { parseDurationMs } from '../../src/units.js';

describe('a refused time names the value as given', () => {
  it.each([
    ['1.2.3', 'not a duration like 30s, 500ms or 1m30s'],
    ['5.', 'not a duration like 30s, 500ms or 1m30s'],
    [' 7x ', 'not a duration like 30s, 500ms or 1m30s'],
    ['1m30x', 'not a duration like 30s, 500ms or 1m30s'],
    ['0', 'must be a duration in 1ms..24h'],
    ['25h', 'must be a duration in 1ms..24h'],
  ])('%j', (raw, why) => {
    expect(() => parseDurationMs('--duration', raw, 's', 1, 24 * 3600e3)).toThrow(new UsageError(`--duration: ${why} (got "${raw}")`));
  });

  it('an idle timeout below a millisecond is refused in milliseconds', () => {
    expect(() => validateServerOptions({ idleTimeoutMs: 0.25 })).toThrow(
      new UsageError('--idle-timeout: must be whole milliseconds in 0ms..2147483647ms (got "0.25ms")'),
    );
    expect(validateServerOptions({ idleTimeoutMs: 30_000 }).idleTimeoutMs).toBe(30_000);
  });
});
