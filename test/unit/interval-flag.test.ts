// --interval reads the project's durations (a bare number is seconds, compound ones like 1m30s)
// and is bounded to 10 ms..1 h, for the flood (checked by resolveFloodOptions) and the default 1 s.
import { describe, expect, it } from 'vitest';
import { floodOptionsFromFlags } from '../../src/client/cli/floodFlags.js';
import { resolveFloodOptions } from '../../src/client/options.js';
import { UsageError } from '../../src/errors.js';

const interval = (raw: string) => resolveFloodOptions(floodOptionsFromFlags(undefined, { progress: false, interval: raw })).intervalMs;

describe('--interval', () => {
  it('reads durations: bare seconds, units, compound', () => {
    expect(interval('2')).toBe(2000);
    expect(interval('250ms')).toBe(250);
    expect(interval('1m30s')).toBe(90_000);
    expect(resolveFloodOptions({}).intervalMs).toBe(1000);
  });
  it('refuses what is out of range or not a duration', () => {
    expect(() => interval('5ms')).toThrow(UsageError);
    expect(() => interval('2h')).toThrow(/--interval: must be a duration in 10ms\.\.1h/);
    expect(() => interval('soon')).toThrow(UsageError);
  });
});
