/**
 * The HTTP stats endpoint: GET /stats (JSON) and GET /metrics (Prometheus text format).
 *
 * Nothing a stats client does may take the echo server down or starve it: connections are capped
 * (beyond the cap Node closes them at once), a request must send its headers within a few seconds,
 * an error in a handler fails that request only, and an accept error (out of descriptors) is
 * ignored, not thrown.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { ServerStats } from './types.js';

/** Stats connections open at once; more are closed as soon as they are accepted. */
export const STATS_MAX_CONNECTIONS = 64;
/** A stats request must have sent its headers within this long (ms), its body soon after. */
export const STATS_HEADERS_TIMEOUT_MS = 5000;

export interface StatsEndpoint {
  url: string;
  close(): Promise<void>;
}

export async function startStatsEndpoint(
  host: string,
  port: number,
  read: () => ServerStats,
): Promise<StatsEndpoint> {
  // prom-client loads only when the endpoint starts: `--version`, `--help` and `--no-stats` never pay for it.
  const { createMetrics } = await import('./metrics.js');
  const metrics = createMetrics(read);
  const fail = (res: ServerResponse, err: unknown) => {
    const e = err as NodeJS.ErrnoException;
    if (res.headersSent) return void res.destroy();
    res.writeHead(503, { 'content-type': 'text/plain', connection: 'close' }).end(`stats unavailable: ${e?.code ?? e?.message ?? e}\n`);
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(read()));
    } else if (path === '/metrics') {
      metrics.render().then(
        (text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text),
        (err) => fail(res, err),
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('try /stats or /metrics\n');
    }
  };
  const server: Server = createServer(
    // Node checks the headers and request timeouts every connectionsCheckingInterval.
    { headersTimeout: STATS_HEADERS_TIMEOUT_MS, requestTimeout: 2 * STATS_HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 1000 },
    (req, res) => {
      try {
        handle(req, res);
      } catch (err) {
        fail(res, err);
      }
    },
  );
  server.maxConnections = STATS_MAX_CONNECTIONS;
  server.keepAliveTimeout = 1000;
  // A request Node cannot parse is answered with its status (400, or 431 for headers too large)
  // and closed, as Node does with no listener: a misconfigured scraper sees an HTTP error it can
  // diagnose, not an empty reply. One that sent no headers in time is dropped at once, unanswered:
  // it is what holds the endpoint's few connections.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    // A peer that never closes its side is not waited for.
    setTimeout(() => socket.destroy(), 1000).unref();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After listening, an 'error' is an accept that failed (out of descriptors): the client is
  // dropped (libuv's reserve-descriptor trick) and the endpoint keeps serving.
  server.on('error', () => {});
  const addr = server.address() as AddressInfo;
  const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shown}:${addr.port}/stats`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
