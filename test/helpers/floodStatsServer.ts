import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerStats } from '../../src/server/types.js';

/** Serves `GET /stats` with whatever `stats()` returns, on 127.0.0.1 and port 0. */
export async function serveStats(stats: () => ServerStats): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url !== '/stats') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/stats`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
