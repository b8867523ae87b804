// The flood command and the library resolve options alike: an empty command line and {} give the
// same ResolvedFloodOptions (the command supplies no default of its own), and a value out of
// range gives the same UsageError, word for word, whether it came as a flag or as an option.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseFloodArgv } from '../helpers/floodArgv.js';
import { defaultWorkers, resolveFloodOptions, type FloodOptions } from '../../src/client/options.js';
import { DEFAULT_MIX } from '../../src/client/run/scenarios.js';
import { UNLIMITED } from '../../src/units.js';

const parseArgv = parseFloodArgv;

/** The error `fn` throws (it must throw). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a UsageError, nothing was thrown');
}

describe('flood option defaults: command and library', () => {
  it('an empty command line passes no option on: every default is the library\'s', () => {
    expect(parseArgv([])).toStrictEqual({});
  });

  it('{} and an empty command line resolve to the same options, the documented defaults', () => {
    // The seed is random by default: pin it on both sides.
    const viaLibrary = resolveFloodOptions({ seed: 7 });
    expect(resolveFloodOptions(parseArgv(['--seed', '7']))).toStrictEqual(viaLibrary);
    expect(viaLibrary).toMatchObject({
      host: '127.0.0.1', port: 0, embedded: true, connections: 1000, total: 1000, durationMs: 0, rate: 0,
      messages: { min: 1, max: 20 }, size: { min: 16, max: 4096 }, maxFrameBytes: 4096, split: false, mix: DEFAULT_MIX,
      workers: defaultWorkers(), timeoutMs: 5000, settleTimeoutMs: 15_000, idleHoldMs: { min: 100, max: 1000 },
      pendingBytes: 1024 * 1024, assertions: [], assertText: '',
    });
  });

  it('a --duration run has no total limit, either way', () => {
    const viaLibrary = resolveFloodOptions({ seed: 7, durationMs: 30_000 });
    expect(viaLibrary.total).toBe(UNLIMITED);
    expect(resolveFloodOptions(parseArgv(['--seed', '7', '-d', '30s']))).toStrictEqual(viaLibrary);
  });

  it.each<[string[], FloodOptions]>([
    [['-c', '1000000'], { connections: 1_000_000 }],
    [['-n', '2147483646'], { total: UNLIMITED - 1 }],
    [['-d', '24h'], { durationMs: 24 * 3600e3 }],
    [['--messages', '1000000'], { messages: 1_000_000 }],
    [['--size', '16-16m'], { size: { min: 16, max: 16 * 1024 * 1024 } }],
    [['--workers', '0'], { workers: 0 }],
    [['--timeout', '1h'], { timeoutMs: 3600e3 }],
    [['--hold', '0-1h'], { idleHoldMs: { min: 0, max: 3600e3 } }],
    [['--mix', 'idle'], { mix: { idle: 1 } }],
  ])('the bound %j is accepted alike', (argv, options) => {
    expect(resolveFloodOptions(parseArgv(['--seed', '7', ...argv]))).toStrictEqual(resolveFloodOptions({ seed: 7, ...options }));
  });

  it.each<[string[], FloodOptions, string]>([
    [['-c', '0'], { connections: 0 }, '--connections: must be a whole number in 1..1000000 (got "0")'],
    [['-c', '1000001'], { connections: 1_000_001 }, '--connections: must be a whole number in 1..1000000 (got "1000001")'],
    [['-n', '0'], { total: 0 }, '--total: must be a whole number in 1..2147483646 (got "0")'],
    [['-d', '0'], { durationMs: 0 }, '--duration: must be a duration in 1ms..24h (got "0ms")'],
    [['-d', '25h'], { durationMs: 25 * 3600e3 }, '--duration: must be a duration in 1ms..24h (got "25h")'],
    [['--messages', '2m'], { messages: 2_000_000 }, '--messages: must be a whole number in 1..1000000 (got "2000000")'],
    [['--messages', '5-2'], { messages: { min: 5, max: 2 } }, '--messages: minimum above maximum (got "5-2")'],
    [['--size', '15'], { size: 15 }, '--size: must be a whole number in 16..16777216 (got "15")'],
    [['--size', '17m'], { size: 17 * 1024 * 1024 }, '--size: must be a whole number in 16..16777216 (got "17825792")'],
    [['--workers', '65'], { workers: 65 }, '--workers: must be a whole number in 0..64 (got "65")'],
    [['--seed', '4294967296'], { seed: 2 ** 32 }, '--seed: must be a whole number in 0..4294967295 (got "4294967296")'],
    [['--timeout', '0'], { timeoutMs: 0 }, '--timeout: must be a duration in 1ms..1h (got "0ms")'],
    [['--timeout', '2h'], { timeoutMs: 2 * 3600e3 }, '--timeout: must be a duration in 1ms..1h (got "2h")'],
    [['--hold', '2h'], { idleHoldMs: 2 * 3600e3 }, '--hold: must be whole milliseconds in 0ms..1h (got "2h")'],
    [['--hold', '5s-1s'], { idleHoldMs: { min: 5000, max: 1000 } }, '--hold: minimum above maximum (got "5s-1s")'],
    [['-n', '2147483647'], { total: UNLIMITED }, '--total: must be a whole number in 1..2147483646 (got "2147483647")'],
    [['-n', '3000m'], { total: 3e9 }, '--total: must be a whole number in 1..2147483646 (got "3000000000")'],
    [['--mix', 'graceful=0'], { mix: { graceful: 0 } }, '--mix: at least one mode needs a weight above 0'],
    [['--mix', 'graceful=-1'], { mix: { graceful: -1 } }, '--mix: weight of graceful must be a number >= 0 (got "-1")'],
    [['--mix', 'teleport=1'], { mix: { teleport: 1 } as never }, `--mix: unknown mode; modes: ${Object.keys(DEFAULT_MIX).join(', ')} (got "teleport")`],
    [['--stats', 'http://x/stats'], { stats: 'http://x/stats' }, '--stats: needs a target: the embedded server is read directly (got "http://x/stats")'],
    [['127.0.0.1:9', '--stats', 'ftp://x'], { target: '127.0.0.1:9', stats: 'ftp://x' }, '--stats: not an http:// URL (got "ftp://x")'],
    [['127.0.0.1:9', '--lifetime', 'naive'], { target: '127.0.0.1:9', server: { lifetime: 'naive' } }, '--lifetime: for the embedded server only, not with a target (got "127.0.0.1:9")'],
    [['127.0.0.1:0'], { target: '127.0.0.1:0' }, 'target: port must be a whole number in 1..65535 (got "0")'],
    [['--transport', 'udp'], { transport: 'udp' as never }, '--transport: must be auto, uring, native or net (got "udp")'],
  ])('%j is refused alike', (argv, options, message) => {
    const viaCommand = thrown(() => resolveFloodOptions(parseArgv(argv)));
    const viaLibrary = thrown(() => resolveFloodOptions(options));
    expect(viaCommand).toBeInstanceOf(UsageError);
    expect(viaLibrary).toBeInstanceOf(UsageError);
    expect(viaCommand.message).toBe(message);
    expect(viaLibrary.message).toBe(message);
  });
});
