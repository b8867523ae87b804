// A --stats URL without the server's /stats path (the endpoint's bare address, a typo) answers 404:
// the error says where the counters are, with the URL to use: the endpoint's own 404 says it is
// the endpoint, and the guess is `stats` in place of the path's last part (which also finds it
// behind a proxy that serves it under a path); behind something else (a proxy's own 404), the
// guess is /stats under the path given, and a path that already ends in /stats gets none. A port
// that fetch() will not connect to (the Fetch standard's blocked ports, which curl reads) says so.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  ['/stats/', '/stats'],
  ['/stat', '/stats'],
  ['/nope/stats', '/stats'],
  // Through a proxy that serves the endpoint under a path (its 404 comes through as it is).
  ['/iocp/', '/iocp/stats'],
  ['/iocp/stat', '/iocp/stats'],
  ['/api/?x=1', '/api/stats'],
])('%s on the stats endpoint: 404, and where its counters are', async (path, suggested) => {
  await expect(statsFromUrl(`${base}${path}`, 2000)()).rejects.toMatchObject({
    message: `server stats ${base}${path} answered HTTP 404: the server's counters are at /stats: try ${base}${suggested}`,
  });
});

describe('a 404 from something else (a proxy in front of the endpoint)', () => {
  let proxy: Server;
  let at = '';
  beforeAll(async () => {
    proxy = createServer((_req, res) => res.writeHead(404).end('Not Found\n'));
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    at = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

  it.each([
    ['/api/', '/api/stats'],
    ['/iocp?x=1', '/iocp/stats'],
  ])('%s: the guess is under the path given', async (path, suggested) => {
    await expect(statsFromUrl(`${at}${path}`, 2000)()).rejects.toMatchObject({
      message: `server stats ${at}${path} answered HTTP 404: the server's counters are at /stats: try ${at}${suggested}`,
    });
  });

  it.each(['/proxy/stats', '/proxy/stats/'])('%s: a path that ends in /stats gets no guess', async (path) => {
    await expect(statsFromUrl(`${at}${path}`, 2000)()).rejects.toThrow(new RegExp(`^server stats ${at}${path} answered HTTP 404$`));
  });
});

it('a port that fetch() refuses (the Fetch standard blocks 10080) says so, and what to do', async () => {
  await expect(statsFromUrl('http://127.0.0.1:10080/stats', 2000)()).rejects.toThrow(
    'cannot read server stats from http://127.0.0.1:10080/stats: bad port: fetch() does not connect to this port (the Fetch standard blocks it); serve the stats on another --stats-port',
  );
});
