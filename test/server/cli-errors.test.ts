// Bad input gives one line on stderr and a non-zero exit (2 usage, 1 runtime), never a stack trace.
import { describe, expect, it } from 'vitest';
import { useBusyPort } from '../helpers/ports.js';
import { LAUNCHER } from '../helpers/serverLaunchers.js';

function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe(`server command: bad input${LAUNCHER.label}`, () => {
  const busyPort = useBusyPort();

  it.each([
    [['--port', '70000'], /--port: must be a whole number in 0\.\.65535 \(got "70000"\)$/],
    [['--port', 'abc'], /--port: not a whole number \(got "abc"\)$/],
    [['--workers', '0'], /--workers: must be a whole number in 1\.\.64 \(got "0"\)$/],
    [['--backend', 'nope'], /argument 'nope' is invalid.*auto, epoll, iocp, node/],
    [['--lifetime', 'forever'], /argument 'forever' is invalid/],
    [['--buffer-size', 'lots'], /--buffer-size: not a size like 4096 or 4k \(got "lots"\)$/],
    [['--host', 'example.com'], /--host: must be an IP address, like 127\.0\.0\.1 or ::1 \(got "example\.com"\)$/],
    [['--buffer-size', '4m'], /--max-sessions, --buffer-size: their sessions need 39\.06 GiB \(each a 4194304 B ring( and 128 B of operation records)?\), over the 2 GiB limit; at this --buffer-size at most 511 sessions fit \(got "10000, 4194304"\)$/],
    [['--stop-timeout', '0'], /--stop-timeout: must be a duration in 1ms\.\.576h \(got "0"\)$/],
    [['--duration', '600h'], /--duration: must be a duration in 1ms\.\.576h \(got "600h"\)$/],
    [['--bogus'], /unknown option '--bogus'/],
    [['--interval', '2s'], /--interval: only with --out \(the length of one sample written there\) \(got "2s"\)$/],
    [['--port', '7788', '--stats-port', '7788'], /--stats-port: is the echo listener's port \(--port\): give another, or 0 to pick one \(got "7788"\)$/],
    [['--host', 'fe80::1%lo'], /--host: a scoped IPv6 address \(%zone\) needs --backend node \(got "fe80::1%lo"\)$/],
  ])('server %j exits 2', async (args, pattern) => {
    const r = await LAUNCHER.run(['server', ...args]);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, pattern);
  });

  it('a port already in use exits 1, with what to do', async () => {
    const r = await LAUNCHER.run(['server', '--port', String(busyPort())]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, /bind failed: (EADDRINUSE|WSAEADDRINUSE) .*127\.0\.0\.1:\d+; another process listens there \(--port 0 picks a free port\)$/);
  });

  it('a stats port already in use exits 1, with what to do', async () => {
    const r = await LAUNCHER.run(['server', '--port', '0', '--stats-port', String(busyPort())]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, new RegExp(`^iocp-bench: cannot serve stats on 127\\.0\\.0\\.1:${busyPort()}: EADDRINUSE; another process listens there \\(--stats-port 0 picks a free port\\)$`));
  });

  it("the other OS's backend exits 1", async () => {
    const [other, needs] = LAUNCHER.platform === 'win32' ? ['epoll', 'Linux'] : ['iocp', 'Windows'];
    const r = await LAUNCHER.run(['server', '--backend', other, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`iocp-bench: --backend ${other} needs ${needs} on x86-64; this is ${LAUNCHER.platform} on x64`);
  });
});
