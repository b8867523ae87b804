/** The HTTP stats endpoint: GET /stats (JSON) and GET /metrics (Prometheus text format). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerStats } from './types.js';

export interface StatsEndpoint {
  url: string;
  close(): Promise<void>;
}

export async function startStatsEndpoint(
  host: string,
  port: number,
  read: () => ServerStats,
): Promise<StatsEndpoint> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET' }).end();
    } else if (path === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(read()));
    } else if (path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(toPrometheus(read()));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('try /stats or /metrics\n');
    }
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
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

export function toPrometheus(s: ServerStats): string {
  const lines: string[] = [];
  const labels = `backend="${s.backend}",lifetime="${s.lifetime}"`;
  const metric = (name: string, type: 'gauge' | 'counter', help: string, value: number, extra = '') => {
    lines.push(`# HELP iocp_bench_${name} ${help}`, `# TYPE iocp_bench_${name} ${type}`);
    lines.push(`iocp_bench_${name}{${labels}${extra}} ${value}`);
  };
  metric('uptime_ms', 'gauge', 'Milliseconds since the server started.', s.uptimeMs);
  metric('sessions_live', 'gauge', 'Sessions not yet freed.', s.sessions.live);
  metric('sessions_peak', 'gauge', 'Most sessions live at once.', s.sessions.peak);
  metric('sessions_accepted_total', 'counter', 'Sessions accepted.', s.sessions.accepted);
  metric('sessions_freed_total', 'counter', 'Sessions freed.', s.sessions.freed);
  metric('sessions_rejected_total', 'counter', 'Connections reset because the table was full.', s.sessions.rejected);
  metric('ops_outstanding', 'gauge', 'Operations posted and not yet completed.', s.ops.outstanding);
  metric('ops_posted_total', 'counter', 'Operations posted.', s.ops.posted);
  metric('ops_completed_total', 'counter', 'Operations completed.', s.ops.completed);
  metric('ops_failed_total', 'counter', 'Operations that completed with an error.', s.ops.failed);
  metric('stale_completions_total', 'counter', 'Completions for a freed or reused session.', s.staleCompletions);
  metric('bytes_in_total', 'counter', 'Bytes received.', s.bytes.in);
  metric('bytes_out_total', 'counter', 'Bytes echoed.', s.bytes.out);
  lines.push('# HELP iocp_bench_worker_completions_total Completions run by each worker.');
  lines.push('# TYPE iocp_bench_worker_completions_total counter');
  s.perWorker.forEach((w, i) =>
    lines.push(`iocp_bench_worker_completions_total{${labels},worker="${i}"} ${w.completions}`),
  );
  for (const [k, v] of Object.entries(s.extra)) {
    const name = k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    metric(`${name}_total`, 'counter', `${k}.`, v);
  }
  return lines.join('\n') + '\n';
}
