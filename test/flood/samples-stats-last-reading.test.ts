// With a target's stats (--stats), the run's last sample holds the server's counters read at the
// run's end, as an embedded server's are: not the reading taken before the last boundary, which
// showed the server as it was an interval (or a wind-down) earlier.
import { afterEach, expect, it } from 'vitest';
import type { ServerStats } from '../../src/server/index.js';
import { runFlood } from '../../src/client/flood.js';
import { startEchoServer } from '../helpers/faultyServers.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

it('the last sample holds a reading taken at the run end', async () => {
  const echo = await startEchoServer();
  cleanup.push(() => echo.close());
  // Each reading is numbered (in rssBytes, which a sample shows as it is) and its time kept.
  const readAt: number[] = [];
  const stats = (): ServerStats => {
    readAt.push(Date.now());
    const s = echo.stats();
    return { ...s, extra: { ...s.extra, rssBytes: readAt.length } };
  };
  const intervalMs = 500;
  const r = await runFlood({
    target: `127.0.0.1:${echo.port}`,
    stats,
    durationMs: 1500,
    connections: 5,
    messages: { min: 2, max: 4 },
    mix: { graceful: 1 },
    workers: 1,
    intervalMs,
    settleTimeoutMs: 3000,
  }).result;
  expect(r.samples.length).toBeGreaterThanOrEqual(3);
  const last = r.samples.at(-1)!;
  const reading = last.server?.rssBytes;
  expect(reading, JSON.stringify(r.samples.map((s) => [s.elapsedMs, s.server?.rssBytes]))).toEqual(expect.any(Number));
  // Read once the run was over (its end is the last sample's time; 25 ms for the two clocks, the
  // sample's from performance.timeOrigin, the reading's from Date.now()), not before the last
  // boundary (the readings for the boundaries come 50 ms ahead of them).
  expect(readAt[reading! - 1]!).toBeGreaterThanOrEqual(last.time - 25);
  for (const s of r.samples.slice(0, -1)) expect(s.server?.rssBytes ?? 0).toBeLessThan(reading!);
}, 30_000);
