// Option values with units and ranges, mixes, assertions and targets: parsed, or refused with a
// UsageError naming the flag.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseAssertions } from '../../src/client/verdict/assertions.js';
import { parseFloodArgv } from '../helpers/floodArgv.js';
import { parseMix } from '../../src/client/cli/floodFlags.js';
import { resolveFloodOptions } from '../../src/client/options.js';
import { parseBytes, parseCount, parseDurationMs, parseRange, parseTarget } from '../../src/units.js';

const parseArgv = parseFloodArgv;

describe('unit parsers', () => {
  it('reads counts with k and m suffixes', () => {
    expect(parseCount('-c', '1000')).toBe(1000);
    expect(parseCount('-c', '10k')).toBe(10_000);
    expect(parseCount('-c', '1.5k')).toBe(1500);
    expect(parseCount('-c', '2m')).toBe(2_000_000);
    expect(() => parseCount('-c', 'ten')).toThrow(UsageError);
    expect(() => parseCount('-c', '1.5')).toThrow(/^-c: not a whole number \(got "1\.5"\)$/);
    // Reading is not bounding: resolveFloodOptions() checks the range (below).
    expect(parseCount('-c', '0')).toBe(0);
    expect(() => resolveFloodOptions({ connections: 0 })).toThrow(/^--connections: must be a whole number in 1\.\.1000000 \(got "0"\)$/);
    expect(() => resolveFloodOptions({ total: 0 })).toThrow(/^--total: must be a whole number in 1\.\.2147483646 \(got "0"\)$/);
  });

  it('reads durations in ms, s, m and us; a bare number is seconds', () => {
    expect(parseDurationMs('-d', '30s')).toBe(30_000);
    expect(parseDurationMs('-d', '500ms')).toBe(500);
    expect(parseDurationMs('-d', '2m')).toBe(120_000);
    expect(parseDurationMs('-d', '250us')).toBe(0.25);
    expect(parseDurationMs('-d', '5')).toBe(5000);
    expect(() => parseDurationMs('-d', '5 parsecs')).toThrow(/-d/);
  });

  it('reads compound durations, and a bare number is seconds in every duration flag', () => {
    expect(parseDurationMs('-d', '1m30s')).toBe(90_000);
    expect(parseDurationMs('-d', '1h2m3s')).toBe(3_723_000);
    expect(parseDurationMs('-d', '2s500ms')).toBe(2500);
    expect(() => parseDurationMs('-d', '1m30')).toThrow(/^-d: not a duration like 30s, 500ms or 1m30s/);
    expect(() => parseDurationMs('-d', '1m 30s')).toThrow(/-d/);
    expect(parseArgv(['--hold', '2']).idleHoldMs).toEqual({ min: 2000, max: 2000 });
    expect(parseArgv(['--hold', '500ms-1m30s']).idleHoldMs).toEqual({ min: 500, max: 90_000 });
  });

  it('reads sizes with binary k and m', () => {
    expect(parseBytes('--size', '4k')).toBe(4096);
    expect(parseBytes('--size', '1MiB')).toBe(1 << 20);
  });

  it('reads ranges and single values', () => {
    expect(parseRange('--size', '16-4096', parseBytes)).toEqual({ min: 16, max: 4096 });
    expect(parseRange('--size', '1k-4k', parseBytes)).toEqual({ min: 1024, max: 4096 });
    expect(parseRange('--messages', '5', parseCount)).toEqual({ min: 5, max: 5 });
    expect(parseRange('--size', '4096-16', parseBytes)).toEqual({ min: 4096, max: 16 });
    expect(() => resolveFloodOptions({ size: parseRange('--size', '4096-16', parseBytes) })).toThrow(/^--size: minimum above maximum \(got "4096-16"\)$/);
    expect(() => parseRange('--size', '1-2-3', parseBytes)).toThrow(UsageError);
  });

  it('reads targets', () => {
    expect(parseTarget('127.0.0.1:7777')).toEqual({ host: '127.0.0.1', port: 7777 });
    expect(parseTarget('7777')).toEqual({ host: '127.0.0.1', port: 7777 });
    expect(parseTarget(':7000')).toEqual({ host: '127.0.0.1', port: 7000 });
    expect(parseTarget('[::1]:7777')).toEqual({ host: '::1', port: 7777 });
    expect(() => resolveFloodOptions({ target: 'host:70000' })).toThrow(new UsageError('target: port must be a whole number in 1..65535 (got "70000")'));
    expect(() => parseTarget('nohost')).toThrow(new UsageError('target: needs a port, like nohost:7777 (got "nohost")'));
    expect(() => parseTarget('127.0.0.1')).toThrow(new UsageError('target: needs a port, like 127.0.0.1:7777 (got "127.0.0.1")'));
    expect(() => parseTarget('::1:7777')).toThrow(new UsageError('target: an IPv6 address goes in brackets, before the port, like [::1]:7777 (got "::1:7777")'));
    expect(() => parseTarget('host:http')).toThrow(new UsageError('target: not host:port (got "host:http")'));
    expect(() => parseTarget('[::1]7777')).toThrow(new UsageError('target: not host:port (got "[::1]7777")'));
  });

  it('reads mixes by weight or by name', () => {
    expect(parseMix('graceful=3,connect-rst=1')).toEqual({ graceful: 3, 'connect-rst': 1 });
    expect(parseMix('half-close,slow-drip')).toEqual({ 'half-close': 1, 'slow-drip': 1 });
    const mix = (raw: string) => resolveFloodOptions({ mix: parseMix(raw) }).mix;
    expect(mix('graceful=3,connect-rst=1')).toMatchObject({ graceful: 3, 'connect-rst': 1, idle: 0 });
    expect(mix('half-close,slow-drip')).toMatchObject({ 'half-close': 1, 'slow-drip': 1, graceful: 0 });
    expect(() => parseMix('graceful=x')).toThrow(new UsageError('--mix: weight of graceful must be a number >= 0 (got "x")'));
    expect(() => parseMix('graceful=1=2')).toThrow(new UsageError('--mix: not mode=weight (got "graceful=1=2")'));
    expect(() => mix('teleport=1')).toThrow(/^--mix: unknown mode; modes: graceful, .* \(got "teleport"\)$/);
    expect(() => mix('graceful=0')).toThrow(new UsageError('--mix: at least one mode needs a weight above 0'));
    expect(() => mix('graceful=-1')).toThrow(new UsageError('--mix: weight of graceful must be a number >= 0 (got "-1")'));
  });

  it('reads assertions with time units in microseconds', () => {
    expect(parseAssertions('leaks==0,dataErrors==0,p99<20ms')).toEqual([
      { text: 'leaks==0', metric: 'leaks', op: '==', value: 0 },
      { text: 'dataErrors==0', metric: 'dataErrors', op: '==', value: 0 },
      { text: 'p99<20ms', metric: 'p99', op: '<', value: 20_000 },
    ]);
    expect(parseAssertions('p50<=800us,msgsPerSec>10k')).toMatchObject([{ value: 800 }, { value: 10_000 }]);
    expect(() => parseAssertions('p99 is small')).toThrow(UsageError);
    expect(() => parseAssertions('speed>1')).toThrow(/unknown metric/);
  });
});

describe('flood command line', () => {
  it('maps every flag onto runFlood options', () => {
    const o = parseArgv([
      '127.0.0.1:9', '-c', '10k', '-n', '20k', '-d', '30s', '--rate', '2k', '--messages', '1-5', '--size', '16-4096',
      '--split', '--mix', 'graceful=2,idle=1', '--seed', '99', '--workers', '3', '--timeout', '500ms', '--hold', '1s-5s',
      '--stats', 'http://127.0.0.1:1/stats', '--assert', 'leaks==0', '--transport', 'net',
    ]);
    expect(o).toStrictEqual({
      target: '127.0.0.1:9', connections: 10_000, total: 20_000, durationMs: 30_000, rate: 2000,
      messages: { min: 1, max: 5 }, size: { min: 16, max: 4096 }, split: true,
      mix: { graceful: 2, idle: 1 }, seed: 99, workers: 3, timeoutMs: 500,
      stats: 'http://127.0.0.1:1/stats', assert: 'leaks==0', idleHoldMs: { min: 1000, max: 5000 }, transport: 'net',
    });
    expect(parseArgv(['--backend', 'node', '--lifetime', 'naive'])).toStrictEqual({ server: { backend: 'node', lifetime: 'naive' } });
  });

  it('defaults to 1000 connections against an embedded server', () => {
    const r = resolveFloodOptions(parseArgv([]));
    expect(r).toMatchObject({ embedded: true, connections: 1000, total: 1000, timeoutMs: 5000, messages: { min: 1, max: 20 }, size: { min: 16, max: 4096 } });
    expect(Object.values(r.mix).every((w) => w > 0)).toBe(true);
  });

  it('refuses bad values with a UsageError naming the flag', () => {
    const bad: [string[], RegExp][] = [
      [['-c', '0'], /--connections/],
      [['--size', '8'], /--size: must be a whole number in 16\.\.16777216 \(got "8"\)$/],
      [['--size', '17m'], /--size: must be a whole number in 16\.\.16777216 \(got "17825792"\)$/],
      [['--messages', '2m'], /--messages: must be a whole number in 1\.\.1000000 \(got "2000000"\)$/],
      [['--timeout', '0'], /--timeout: must be a duration in 1ms\.\.1h \(got "0ms"\)$/],
      [['--total', '0'], /--total: must be a whole number in 1\.\.2147483646 \(got "0"\)$/],
      [['--size', '4096-16'], /--size/],
      [['--timeout', 'soon'], /--timeout/],
      [['--mix', 'graceful=x'], /--mix/],
      // Weights are decimal: a hex or exponent form is a slip, not 16 or 10.
      [['--mix', 'idle=0x10'], /^--mix: weight of idle must be a number >= 0 \(got "0x10"\)$/],
      [['--mix', 'graceful=1e1'], /^--mix: weight of graceful must be a number >= 0 \(got "1e1"\)$/],
      [['--stats', 'http://x/stats'], /--stats: needs a target: the embedded server is read directly \(got "http:\/\/x\/stats"\)$/],
      [['127.0.0.1:9', '--stats', 'ftp://x'], /--stats/],
      [['127.0.0.1:9', '--lifetime', 'naive'], /^--lifetime: for the embedded server only, not with a target \(got "127\.0\.0\.1:9"\)$/],
      [['--assert', 'p99<<1'], /--assert/],
    ];
    for (const [argv, msg] of bad) expect(() => resolveFloodOptions(parseArgv(argv)), argv.join(' ')).toThrow(msg);
    expect(() => resolveFloodOptions(parseArgv(['--workers', '65']))).toThrow(UsageError);
  });
});

describe('one byte formatter', () => {
  it('speaks IEC units everywhere', async () => {
    const { formatBytes } = await import('../../src/units.js');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(4096)).toBe('4.0 KiB');
    expect(formatBytes(12.3 * 1024 * 1024)).toBe('12.3 MiB');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.50 GiB');
  });
});
