// The flood command's action: --json prints exactly one result object; exit code 0 on PASS,
// 1 on FAIL; bad input throws the UsageError the CLI turns into exit 2; the text report ends
// with the verdict.
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { addFloodCommand } from '../../src/client/cli/floodCommand.js';
import { captureOutput } from '../helpers/captureOutput.js';
import { startEchoServer, type EchoServer } from '../helpers/faultyServers.js';
import { TRANSPORTS } from '../helpers/transports.js';

const BASE = ['-c', '20', '-n', '30', '--messages', '1-3', '--size', '64-256', '--workers', '0', '--timeout', '1s', '--seed', '5', '--mix', 'graceful=3,half-close,connect-rst'];

async function runCommand(argv: string[]): Promise<{ stdout: string; exitCode: number | undefined }> {
  const program = new Command('iocp-bench').exitOverride();
  addFloodCommand(program);
  const output = captureOutput();
  try {
    await program.parseAsync(['flood', ...argv], { from: 'user' });
  } finally {
    output.restore();
  }
  const exitCode = process.exitCode as number | undefined;
  process.exitCode = undefined;
  return { stdout: output.stdout(), exitCode };
}

describe.each(TRANSPORTS)('flood command (%s transport)', (transport) => {
  const SMALL = [...BASE, '--transport', transport];
  let server: EchoServer;
  beforeEach(async () => {
    server = await startEchoServer();
  });
  afterEach(async () => {
    process.exitCode = undefined;
    await server.close();
  });

  it('--json prints one JSON object with the documented fields; PASS exits 0', async () => {
    const { stdout, exitCode } = await runCommand([`127.0.0.1:${server.port}`, ...SMALL, '--json']);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const r = JSON.parse(stdout);
    expect(Object.keys(r).sort()).toEqual(
      ['assertions', 'bytes', 'connections', 'elapsedMs', 'errorSamples', 'errors', 'faultSamples', 'faults', 'histograms', 'intervalHistograms', 'intervalMs', 'latencyUs', 'leak', 'messages', 'options', 'reasons', 'samples', 'serverGone', 'shard', 'startAt', 'stoppedEarly', 'target', 'verdict', 'warnings'].sort(),
    );
    expect(r).toMatchObject({
      verdict: 'PASS',
      reasons: [],
      warnings: [],
      stoppedEarly: null,
      serverGone: null,
      intervalHistograms: null, // only a shard keeps them
      target: { host: '127.0.0.1', port: server.port, embedded: false },
      options: { connections: 20, total: 30, seed: 5, workers: 0, timeoutMs: 1000, messages: { min: 1, max: 3 }, size: { min: 64, max: 256 }, transport },
      connections: { started: 30, ok: 30, faulted: 0, errored: 0 },
      faults: { total: 0, lost: 0, corrupted: 0, reordered: 0, duplicated: 0, foreign: 0, truncated: 0, stalled: 0 },
      errors: { total: 0 },
      leak: { status: 'not-run' },
    });
    expect(r.messages.verified).toBe(r.messages.sent);
    expect(r.latencyUs.roundTrip).toEqual(expect.objectContaining({ count: expect.any(Number), p50: expect.any(Number), p99: expect.any(Number) }));
    expect(r.connections.byMode.graceful.started).toBeGreaterThan(0);
    expect(exitCode).toBe(0);
  });

  it('a failed assertion turns PASS into FAIL and exits 1', async () => {
    const { stdout, exitCode } = await runCommand([`127.0.0.1:${server.port}`, ...SMALL, '--json', '--assert', 'dataErrors==0,leaks==0,p99<1us']);
    const r = JSON.parse(stdout);
    expect(r.assertions).toEqual([
      { expr: 'dataErrors==0', ok: true, actual: 0, shown: '0' },
      { expr: 'leaks==0', ok: false, actual: null, shown: 'not measured' },
      { expr: 'p99<1us', ok: false, actual: expect.any(Number), shown: expect.stringMatching(/^\d+(\.\d+)?(us|ms|s)$/) },
    ]);
    expect(r.verdict).toBe('FAIL');
    expect(exitCode).toBe(1);
  });

  it('data faults exit 1 and the text report names them on its last line', async () => {
    const bad = await startEchoServer({ fault: 'flip-bit' });
    try {
      const { stdout, exitCode } = await runCommand([`127.0.0.1:${bad.port}`, ...SMALL]);
      const lines = stdout.trimEnd().split('\n');
      expect(lines.at(-1)).toMatch(/^FAIL: data faults: corrupted \d+/);
      expect(stdout).toContain('leak check not run');
      expect(exitCode).toBe(1);
    } finally {
      await bad.close();
    }
  });

  it('the text report of a clean run ends with PASS', async () => {
    const { stdout, exitCode } = await runCommand([`127.0.0.1:${server.port}`, ...SMALL]);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('PASS');
    expect(stdout).toMatch(/Connections[\s\S]*Latency[\s\S]*Faults none/);
    expect(exitCode).toBe(0);
  });

  it('bad values throw UsageError (exit 2 in the CLI) before anything runs', async () => {
    await expect(runCommand([`127.0.0.1:${server.port}`, '--size', '4-8'])).rejects.toBeInstanceOf(UsageError);
    await expect(runCommand(['not a target'])).rejects.toBeInstanceOf(UsageError);
    await expect(runCommand([`127.0.0.1:${server.port}`, '--transport', 'carrier-pigeon'])).rejects.toThrow(/--transport/);
  });
});
