// Out of descriptors for real (--fd-reserve 0 under `prlimit --nofile=1024:1024`, 1,100 clients):
// the server resets what it cannot accept through its spare descriptor instead of spinning,
// and a stats request at the limit, or one descriptor from it, is answered or fails on its own:
// the server lives, its sessions echo, and SIGTERM with every session connected drains and exits 0.
import { describe, expect, it } from 'vitest';
import { closeAll, echoOnce, openWatched, type Watched } from '../helpers/holders.js';
import { coreShare } from '../helpers/processCpu.js';
import { fetchStats, startServerProcess } from '../helpers/serverProcess.js';

const CLIENTS = 1100;

/** A GET that may fail at the limit: its status, or 'failed' when the connection was refused or reset. */
async function get(url: string): Promise<number | 'failed'> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    await res.text();
    return res.status;
  } catch {
    return 'failed';
  }
}

/** Until every client is either reset or echoing: then nobody waits in the listen queue. */
async function allDealtWith(clients: Watched[]): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    const open = clients.filter((c) => !c.reset);
    const r = await Promise.allSettled(open.map((c) => echoOnce(c.socket, 'x', 3000)));
    if (r.every((x) => x.status === 'fulfilled')) return;
    if (Date.now() > until) throw new Error(`${r.filter((x) => x.status === 'rejected').length} clients neither reset nor echoed`);
  }
}

// prlimit and --fd-reserve are Linux's (the epoll backend's descriptor limit).
describe.runIf(process.platform === 'linux')('descriptor limit reached: --fd-reserve 0', () => {
  it('sheds through its spare descriptor, serves or fails stats per request, and lives', async () => {
    const server = await startServerProcess(['--fd-reserve', '0'], 15_000, ['prlimit', '--nofile=1024:1024', '--']);
    const clients = await openWatched(server.port, CLIENTS);
    try {
      await allDealtWith(clients);
      const rejected = clients.filter((c) => c.reset).length;
      expect(rejected).toBeGreaterThan(0);
      expect(await coreShare(server.child.pid!, 2000)).toBeLessThan(0.1);

      // At the limit: each request answers or fails by itself.
      const metricsUrl = server.statsUrl.replace('/stats', '/metrics');
      for (const url of [server.statsUrl, metricsUrl]) expect([200, 503, 'failed']).toContain(await get(url));
      expect(server.child.exitCode).toBeNull();

      // Sessions closed one at a time until /stats answers: a freed descriptor may first go back
      // to a worker that lost its spare (each of the 5 keeps one, see accept.ts), then one is the
      // stats endpoint's. /stats then answers one descriptor from the limit: its memory figure
      // needs no new descriptor.
      const open = clients.filter((c) => !c.reset);
      let status: number | 'failed' = 'failed';
      let freed = 0;
      while (status !== 200 && freed < 10) {
        open[freed++]!.socket.destroy();
        for (let i = 0; i < 10 && status !== 200; i++) status = await get(server.statsUrl);
      }
      expect(status).toBe(200);
      expect(freed).toBeLessThanOrEqual(6);
      const s = await fetchStats(server.statsUrl);
      expect(s.sessions.rejected).toBe(rejected);
      expect(s.extra.rssBytes).toBeGreaterThan(0);
      // /metrics reads files per scrape (prom-client's process metrics): it answers or fails alone.
      expect([200, 503, 'failed']).toContain(await get(metricsUrl));
      let again: number | 'failed' = 'failed';
      for (let i = 0; i < 10 && again !== 200; i++) again = await get(server.statsUrl);
      expect(again).toBe(200);
      expect(await echoOnce(open[freed]!.socket, 'alive')).toBe('alive');

      // SIGTERM with every session still connected: the stop needs no descriptor either.
      const stop = await server.stop('SIGTERM', 5000);
      expect(stop.code).toBe(0);
      const last = JSON.parse(server.stdout().trim().split('\n').at(-1)!) as { event: string; drained: boolean };
      expect(last).toMatchObject({ event: 'stopped', drained: true });
    } finally {
      closeAll(clients.map((c) => c.socket));
      await server.stop('SIGKILL');
    }
  }, 90_000);
});
