// A server that resets every connection on arrival (one at its session or descriptor limit) serves
// nothing. The modes that never wait for an echo (connect-rst, connect-abort, rst-send-pending)
// still complete against it, so "no connection completed its plan" did not fire and the flood
// said PASS. It now fails, naming the modes that did complete.
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';

let server: net.Server;
let port = 0;
beforeAll(async () => {
  server = net.createServer((s) => s.resetAndDestroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

it('every connection reset on arrival, default mix: FAIL, exit 1', async () => {
  const r = await runCliProcess(['flood', `127.0.0.1:${port}`, '-n', '60', '-c', '20', '--seed', '3', '--json', '--no-progress'], 60_000);
  const j = JSON.parse(r.stdout);
  // In the result's order of the modes, as the reason lists them.
  const noEcho = Object.keys(j.connections.byMode).filter((m) => ['connect-rst', 'connect-abort', 'rst-send-pending'].includes(m) && j.connections.byMode[m].ok > 0);
  expect(noEcho.length).toBeGreaterThan(0);
  expect(j.connections.ok).toBe(noEcho.reduce((a, m) => a + j.connections.byMode[m].ok, 0));
  const echoStarted = j.connections.started - ['connect-rst', 'connect-abort', 'rst-send-pending'].reduce((a, m) => a + j.connections.byMode[m].started, 0);
  expect(j.reasons).toEqual([`no connection that reads an echo completed its plan (${echoStarted} started; only ${noEcho.join(', ')} did, which never wait for one)`]);
  expect(j.verdict).toBe('FAIL');
  expect(r.code).toBe(1);
}, 90_000);
