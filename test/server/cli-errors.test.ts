// Bad input gives one line on stderr and a non-zero exit (2 usage, 1 runtime), never a stack trace.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAUNCHER } from '../helpers/serverLaunchers.js';

function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n').filter((l) => !l.startsWith('(run with --help'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe(`server command: bad input${LAUNCHER.label}`, () => {
  let busy: Server;
  let busyPort = 0;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => busy.close(() => r())));

  it.each([
    [['--port', '70000'], /--port must be an integer from 0 to 65535/],
    [['--port', 'abc'], /--port must be an integer/],
    [['--workers', '0'], /--workers must be an integer from 1 to 64/],
    [['--backend', 'nope'], /argument 'nope' is invalid.*auto, epoll, iocp, node/],
    [['--lifetime', 'forever'], /argument 'forever' is invalid/],
    [['--buffer-size', 'lots'], /--buffer-size: 'lots' is not a size/],
    [['--host', 'example.com'], /--host must be an IP address/],
    [['--buffer-size', '4m'], /--max-sessions 10000 with --buffer-size 4194304 needs 39\.1 GiB of session buffers; the limit is 2 GiB/],
    [['--stop-timeout', '0'], /--stop-timeout: '0' is outside 1ms\.\.576h$/],
    [['--duration', '600h'], /--duration: '600h' is outside 1ms\.\.576h$/],
    [['--bogus'], /unknown option '--bogus'/],
  ])('server %j exits 2', async (args, pattern) => {
    const r = await LAUNCHER.run(['server', ...args]);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, pattern);
  });

  it('a port already in use exits 1', async () => {
    const r = await LAUNCHER.run(['server', '--port', String(busyPort)]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, /bind failed: (EADDRINUSE|WSAEADDRINUSE) .*127\.0\.0\.1:\d+/);
  });

  it("the other OS's backend exits 1", async () => {
    const [other, needs] = LAUNCHER.platform === 'win32' ? ['epoll', 'Linux'] : ['iocp', 'Windows'];
    const r = await LAUNCHER.run(['server', '--backend', other, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`iocp-bench: --backend ${other} needs ${needs}; this is ${LAUNCHER.platform}`);
  });
});
