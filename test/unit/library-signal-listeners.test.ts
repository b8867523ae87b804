// runCli(['server', ...]) from code listens for SIGINT, SIGTERM and SIGHUP only while the command
// runs: once it has resolved, by a stop or an error, the program that embeds it gets Ctrl-C back.
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, expect, it, vi } from 'vitest';
import { runCli } from '../../src/index.js';
import { captureOutput } from '../helpers/captureOutput.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const listeners = () => SIGNALS.map((s) => process.listenerCount(s));

afterEach(() => vi.restoreAllMocks());

it('a server that stops after --duration leaves no signal listener behind', async () => {
  const before = listeners();
  const output = captureOutput().all;
  const code = await runCli(['server', '--port', '0', '--workers', '1', '--no-stats', '--duration', '300ms', '--json']);
  expect(output()).toContain('"event":"stopped"');
  expect(code).toBe(0);
  expect(listeners()).toEqual(before);
});

it('a server that cannot start (its port in use) leaves no signal listener behind', async () => {
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  try {
    const before = listeners();
    const output = captureOutput().all;
    const code = await runCli(['server', '--port', String((busy.address() as AddressInfo).port), '--workers', '1', '--no-stats']);
    expect(output()).toMatch(/EADDRINUSE/);
    expect(code).toBe(1);
    expect(listeners()).toEqual(before);
  } finally {
    await new Promise((r) => busy.close(r));
  }
});
