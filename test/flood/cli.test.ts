// The real CLI (`node bin/iocp-bench.js flood ...`, built code): exit 0 on PASS, 1 on FAIL, 2 on a
// usage error with a one-line message; with no target it floods an embedded server and reads
// its counters directly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { startEchoServer, type EchoServer } from '../helpers/faultyServers.js';
import { TRANSPORTS } from '../helpers/transports.js';

const SMALL = ['-c', '50', '-n', '100', '--messages', '1-4', '--size', '32-1024', '--timeout', '2s', '--seed', '9', '--workers', '2'];

describe('iocp-bench flood (process)', () => {
  let good: EchoServer;
  let bad: EchoServer;
  beforeAll(async () => {
    good = await startEchoServer();
    bad = await startEchoServer({ fault: 'reorder' });
  });
  afterAll(async () => {
    await good?.close();
    await bad?.close();
  });

  it.each(TRANSPORTS)('PASS against a correct echo server: exit 0, one JSON object on stdout, nothing on stderr (%s transport)', async (transport) => {
    const r = await runCliProcess(['flood', `127.0.0.1:${good.port}`, ...SMALL, '--transport', transport, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ verdict: 'PASS', stoppedEarly: null, leak: { status: 'not-run' }, connections: { started: 100, ok: 100 }, options: { transport } });
  });

  it.each(TRANSPORTS)('FAIL against a server that reorders: exit 1, the report names the fault (%s transport)', async (transport) => {
    const r = await runCliProcess(['flood', `127.0.0.1:${bad.port}`, ...SMALL, '--transport', transport]);
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^FAIL: data faults: .*reordered/);
  });

  it('usage errors: exit 2 with one line on stderr and no stack trace', async () => {
    for (const args of [['--size', '4'], ['--connections', 'lots'], ['--mix', 'nope=1'], ['127.0.0.1:1', '--lifetime', 'naive'], ['127.0.0.1:1', '--transport', 'smoke-signals']]) {
      const r = await runCliProcess(['flood', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    }
  });

  it('no target: floods an embedded server, reads its counters, leak check clean', async () => {
    const r = await runCliProcess(['flood', '-c', '200', '-n', '300', '--seed', '2', '--json', '--assert', 'leaks==0,dataErrors==0'], 60_000);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.target).toMatchObject({ embedded: true, host: '127.0.0.1' });
    expect(j.target.backend).toBeTruthy();
    expect(j.leak).toMatchObject({ status: 'clean', leaks: 0 });
    expect(j.leak.after.sessions.accepted).toBe(j.leak.after.sessions.freed);
    expect(j.assertions.every((a: { ok: boolean }) => a.ok)).toBe(true);
    expect(j.verdict).toBe('PASS');
  });
});
