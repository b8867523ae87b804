// With --stats URL, each sample carries the target server's counters, read shortly before each
// boundary without holding the sample up: the latest reading, null once a read fails (the run
// goes on), and the counters again once the endpoint answers again.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { runFlood } from '../../src/client/flood.js';
import type { IntervalSample } from '../../src/client/verdict/samples.js';
import { startEchoServer, type EchoServer } from '../helpers/faultyServers.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

/** /stats of `echo`, answering 500 while `failing()`. */
async function flakyStats(echo: EchoServer, failing: () => boolean): Promise<string> {
  const server = http.createServer((_req, res) => {
    if (failing()) res.writeHead(500).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(echo.stats()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/stats`;
}

it('samples carry the --stats counters; a failed read gives null and the run goes on', async () => {
  const echo = await startEchoServer();
  cleanup.push(() => echo.close());
  // Phases, moved on by the samples themselves: counters seen -> endpoint failing -> null seen ->
  // endpoint back -> counters seen again; then the run is stopped.
  let phase: 'up' | 'failing' | 'back' | 'done' = 'up';
  const url = await flakyStats(echo, () => phase === 'failing');
  const run = runFlood({
    target: `127.0.0.1:${echo.port}`,
    stats: url,
    durationMs: 30_000,
    connections: 5,
    messages: { min: 2, max: 4 },
    mix: { graceful: 1 },
    workers: 1,
    intervalMs: 200,
    settleTimeoutMs: 3000,
  });
  const seen: IntervalSample['server'][] = [];
  run.on('sample', (s) => {
    seen.push(s.server);
    if (phase === 'up' && s.server !== null && s.server.accepted > 0) phase = 'failing';
    else if (phase === 'failing' && s.server === null) phase = 'back';
    else if (phase === 'back' && s.server !== null) {
      phase = 'done';
      run.stop();
    }
  });
  const r = await run.result;
  expect(phase, seen.map((s) => s?.accepted ?? 'null').join(',')).toBe('done');
  expect(r.stoppedEarly).toBe('stop');
  const firstNull = seen.indexOf(null);
  expect(firstNull).toBeGreaterThan(0);
  expect(seen[firstNull - 1]).toMatchObject({ live: expect.any(Number), outstanding: 0, accepted: expect.any(Number), staleCompletions: 0, rssBytes: null });
  expect(seen.slice(firstNull).some((s) => s !== null && s.accepted >= seen[firstNull - 1]!.accepted)).toBe(true);
  expect(r.samples.map((s) => s.server)).toEqual(seen);
}, 60_000);
