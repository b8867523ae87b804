// A /stats that has every counter the leak check reads but no `extra` (another server's own
// endpoint, written to the README's field list) is read as having none of the extras: the run
// ends with its verdict, not with a TypeError after the whole run.
import { afterEach, expect, it } from 'vitest';
import { startEchoServer } from '../helpers/faultyServers.js';
import { serveStats } from '../helpers/floodStatsServer.js';
import { quickFlood } from '../helpers/floodRun.js';
import type { ServerStats } from '../../src/server/types.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

it('a correct server whose stats have no extra: clean and PASS', async () => {
  const echo = await startEchoServer({});
  cleanup.push(() => echo.close());
  const stats = await serveStats(() => {
    const { extra: _extra, ...rest } = echo.stats();
    return rest as ServerStats;
  });
  cleanup.push(stats.close);
  const r = await quickFlood(echo.port, { stats: stats.url });
  expect(r.leak).toMatchObject({ status: 'clean', leaks: 0 });
  expect(r.leak.after!.extra).toEqual({});
  expect(r.verdict).toBe('PASS');
});
