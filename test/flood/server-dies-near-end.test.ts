// A server killed less than a silent window (2 s) before the flood's end: the watch cannot end the
// run early, so the flood makes one more connect at the end, finds it refused, and fails with
// "server went away" instead of passing with every connect after the death counted as a mere
// network error.
import { expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { settle, startServerProcess } from '../helpers/serverProcess.js';

it('a server that dies in the last 2 s of a run: FAIL, server went away, told by a last connect', async () => {
  const server = await startServerProcess([]);
  // -d 2s: whenever the server dies, less than the 2 s window is left.
  const flood = runCliProcess(['flood', `127.0.0.1:${server.port}`, '-d', '2s', '-c', '50', '--timeout', '5s', '--json', '--no-progress'], 60_000);
  const flowing = await settle(server.stats, (s) => s.sessions.accepted >= 200, 20_000);
  expect(flowing.sessions.accepted).toBeGreaterThanOrEqual(200);
  server.child.kill('SIGKILL');
  const { code, stdout } = await flood;
  const r = JSON.parse(stdout);
  expect(r.reasons).toHaveLength(1);
  expect(r.verdict).toBe('FAIL');
  expect(code).toBe(1);
  expect(r.serverGone.refused).toBeGreaterThanOrEqual(3);
  // On Windows a refused connect takes about 2 s (its SYN is retried), and the run's tail waits for
  // them: the watch may then see the death within the run, which says the same in other words.
  if (process.platform === 'win32') {
    expect(r.reasons[0]).toMatch(/^server went away: /);
    return;
  }
  expect(r.reasons[0]).toMatch(/^server went away: last progress [\d.]+ s into the run, then \d+ connects? refused, and one more after the run \(run ended at [\d.]+ s; \d+ faults? and \d+ errors? of cut-off connections not judged\)$/);
  expect(r.serverGone).toMatchObject({ finalConnectRefused: true });
  expect(r.serverGone.detectedMs - r.serverGone.lastProgressMs).toBeLessThan(2000);
}, 90_000);
