// The stats port cannot starve the echo port: 1,000 half-sent requests (headers never finished)
// against a server limited to 1,024 descriptors. Beyond 64 connections the endpoint closes new
// ones at once and a request has 5 s to send its headers, so the echo port still accepts and
// echoes meanwhile, and /stats answers again once the half-sent ones are dropped.
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closeAll, echoOnce, openWatched } from '../helpers/holders.js';
import { fetchStats, startServerProcess } from '../helpers/serverProcess.js';

const HALF_SENT = 1000;

function halfSend(url: URL): Promise<Socket> {
  return new Promise((resolve) => {
    const s = connect({ host: url.hostname, port: Number(url.port) });
    s.on('error', () => resolve(s));
    s.once('connect', () => {
      s.write('GET /stats HTTP/1.1\r\nHost: x\r\n'); // no blank line: the headers never end
      resolve(s);
    });
  });
}

// The descriptor limit comes from prlimit, a Linux tool.
describe.runIf(process.platform === 'linux')('stats endpoint under 1,000 half-sent requests', () => {
  it('keeps the echo port serving and answers again once they are dropped', async () => {
    const server = await startServerProcess([], 15_000, ['prlimit', '--nofile=1024:1024', '--']);
    const url = new URL(server.statsUrl);
    const stuck: Socket[] = [];
    for (let i = 0; i < HALF_SENT; i += 100)
      stuck.push(...(await Promise.all(Array.from({ length: 100 }, () => halfSend(url)))));
    const clients = await openWatched(server.port, 200);
    try {
      expect(clients.filter((c) => c.reset)).toHaveLength(0);
      const answers = await Promise.all(clients.map((c, i) => echoOnce(c.socket, `echo ${i}`)));
      expect(answers).toEqual(clients.map((_, i) => `echo ${i}`));

      // Held ones are dropped after the 5 s header timeout; then /stats answers again.
      const t0 = Date.now();
      let stats = null;
      while (stats === null && Date.now() - t0 < 20_000) stats = await fetchStats(server.statsUrl).catch(() => null);
      expect(stats).not.toBeNull();
      expect(stats!.sessions.live).toBe(200);
      const open = () => stuck.filter((s) => !s.destroyed && s.readyState === 'open').length;
      for (let i = 0; i < 100 && open() > 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(open()).toBe(0);
    } finally {
      closeAll(stuck);
      closeAll(clients.map((c) => c.socket));
    }
    expect((await server.stop('SIGTERM', 5000)).code).toBe(0);
  }, 60_000);
});
