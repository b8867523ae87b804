// A --stats URL without the server's /stats path (the endpoint's bare address, a typo) answers 404:
// the error says where the counters are, with the URL to use. A 404 from a URL that already ends
// in /stats (a proxy's path that does not exist) gets no such guess. A port that fetch() will not
// connect to (the Fetch standard's blocked ports, which curl reads) says so.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { statsFromUrl } from '../../src/client/verdict/leakCheck.js';
import type { ServerStats } from '../../src/server/index.js';
import { startStatsEndpoint, type StatsEndpoint } from '../../src/server/statsServer.js';

const STATS = {
  backend: 'epoll', workers: 1, lifetime: 'refcount', listen: { host: '127.0.0.1', port: 1 }, uptimeMs: 1,
  sessions: { live: 0, peak: 0, accepted: 0, freed: 0, rejected: 0 }, ops: { outstanding: 0, posted: 0, completed: 0, failed: 0 },
  staleCompletions: 0, bytes: { in: 0, out: 0 }, perWorker: [], extra: {},
} satisfies ServerStats;
let endpoint: StatsEndpoint;
let base = '';
beforeAll(async () => {
  endpoint = await startStatsEndpoint('127.0.0.1', 0, () => STATS);
  base = new URL(endpoint.url).origin;
});
afterAll(() => endpoint.close());

it.each([
  ['', '/stats'],
  ['/', '/stats'],
  ['/stat', '/stat/stats'],
  ['/api/?x=1', '/api/stats'],
])('%s: 404, and where the counters are', async (path, suggested) => {
  await expect(statsFromUrl(`${base}${path}`, 2000)()).rejects.toThrow(
    `server stats ${base}${path} answered HTTP 404: the server's counters are at /stats: try ${base}${suggested}`,
  );
});

it('a 404 from a path that ends in /stats gets no guess', async () => {
  await expect(statsFromUrl(`${base}/proxy/stats`, 2000)()).rejects.toThrow(new RegExp(`^server stats ${base}/proxy/stats answered HTTP 404$`));
});

it('a port that fetch() refuses (the Fetch standard blocks 10080) says so, and what to do', async () => {
  await expect(statsFromUrl('http://127.0.0.1:10080/stats', 2000)()).rejects.toThrow(
    'cannot read server stats from http://127.0.0.1:10080/stats: bad port: fetch() does not connect to this port (the Fetch standard blocks it); serve the stats on another --stats-port',
  );
});
