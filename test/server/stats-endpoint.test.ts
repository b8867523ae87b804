// GET /stats has the documented shape; GET /metrics has the same counters in Prometheus text.
import { beforeAll, describe, expect, it } from 'vitest';
import { abuse } from '../helpers/abuse.js';
import { quiescent, settle, useServerProcess } from '../helpers/serverProcess.js';

describe('stats endpoint', () => {
  const server = useServerProcess([]);
  beforeAll(async () => {
    await abuse({ port: server().port, perMode: 20, modes: ['echo'] });
  });

  it('GET /stats returns the documented shape', async () => {
    const s = await settle(server().stats, quiescent);
    expect(Object.keys(s)).toEqual(
      expect.arrayContaining(['backend', 'workers', 'lifetime', 'listen', 'uptimeMs', 'sessions', 'ops', 'staleCompletions', 'bytes', 'perWorker']),
    );
    expect(s.listen).toEqual({ host: '127.0.0.1', port: server().port });
    expect(Object.keys(s.sessions).sort()).toEqual(['accepted', 'freed', 'live', 'peak', 'rejected']);
    expect(Object.keys(s.ops).sort()).toEqual(['completed', 'failed', 'outstanding', 'posted']);
    expect(Object.keys(s.bytes).sort()).toEqual(['in', 'out']);
    expect(s.sessions.accepted).toBe(20);
    expect(s.bytes.in).toBe(20 * 4096);
    expect(s.lifetime).toBe('refcount');
  });

  it('GET /metrics mirrors the counters', async () => {
    const s = await server().stats();
    const text = await (await fetch(server().statsUrl.replace('/stats', '/metrics'))).text();
    const value = (name: string) => Number(new RegExp(`^iocp_bench_${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('sessions_accepted_total')).toBe(s.sessions.accepted);
    expect(value('received_bytes_total')).toBe(s.bytes.in);
    expect(value('stale_completions_total')).toBe(0);
    expect(text).toMatch(/^# TYPE iocp_bench_ops_outstanding gauge$/m);
    expect(text.match(/^iocp_bench_worker_completions_total\{/gm)).toHaveLength(s.workers);
  });

  it('answers 404 elsewhere', async () => {
    const res = await fetch(server().statsUrl.replace('/stats', '/nope'));
    expect(res.status).toBe(404);
  });
});
