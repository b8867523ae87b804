// GET /metrics is valid Prometheus text format (parsed by a Prometheus text-format parser) with
// the right type for every metric: counters end in _total and only ever grow, gauges go both
// ways; base units (seconds, bytes); real HELP text; prom-client's process metrics beside ours.
import parse, { type MetricFamily } from 'parse-prometheus-text-format';
import { beforeAll, describe, expect, it } from 'vitest';
import { abuse } from '../helpers/abuse.js';
import { LAUNCHER } from '../helpers/serverLaunchers.js';
import { quiescent, settle, useServerProcess } from '../helpers/serverProcess.js';

const GAUGES = [
  'iocp_bench_uptime_seconds', 'iocp_bench_sessions_live', 'iocp_bench_sessions_peak', 'iocp_bench_ops_outstanding',
  'iocp_bench_accepts_pending', 'iocp_bench_io_uring_workers', 'iocp_bench_worker_failures',
];

describe(`/metrics format${LAUNCHER.label}`, () => {
  const server = useServerProcess([], LAUNCHER.start);
  const backend = LAUNCHER.platform === 'win32' ? 'iocp' : 'epoll';
  let families: MetricFamily[];
  let text: string;
  beforeAll(async () => {
    await abuse({ port: server().port, perMode: 10, modes: ['echo'] });
    await settle(server().stats, quiescent);
    const res = await fetch(server().statsUrl.replace('/stats', '/metrics'));
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    text = await res.text();
    families = parse(text);
  });

  const ours = () => families.filter((f) => f.name.startsWith('iocp_bench_'));

  it('every line is a comment, a sample or blank', () => {
    const sample = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? -?(\d+(\.\d+)?(e[+-]?\d+)?|NaN|\+Inf|-Inf)$/;
    for (const line of text.split('\n')) if (line && !line.startsWith('#')) expect(line).toMatch(sample);
  });

  it('every metric has a type and a sentence of help', () => {
    expect(ours().length).toBeGreaterThan(15);
    for (const f of families) {
      expect(f.type, f.name).not.toBe('UNTYPED');
      expect(f.help.length, f.name).toBeGreaterThan(5);
    }
    for (const f of ours()) {
      expect(f.help, f.name).toMatch(/^[A-Z0-9].*\.$/); // a sentence, not a camelCase key
      expect(f.metrics[0]!.labels).toMatchObject({ backend, lifetime: 'refcount' });
    }
  });

  it('counters end in _total, everything else of ours is a gauge', () => {
    for (const f of ours()) {
      if (GAUGES.includes(f.name)) expect(f.type, f.name).toBe('GAUGE');
      else {
        expect(f.name).toMatch(/_total$/);
        expect(f.type, f.name).toBe('COUNTER');
      }
    }
    for (const g of GAUGES) expect(families.map((f) => f.name)).toContain(g);
  });

  it('uses base units and carries the values of /stats', async () => {
    const value = (name: string) => Number(families.find((f) => f.name === name)!.metrics[0]!.value);
    const s = await server().stats();
    expect(value('iocp_bench_uptime_seconds')).toBeGreaterThan(0);
    expect(value('iocp_bench_uptime_seconds')).toBeLessThan(s.uptimeMs / 1000 + 1);
    expect(value('iocp_bench_sessions_accepted_total')).toBe(10);
    expect(value('iocp_bench_received_bytes_total')).toBe(s.bytes.in);
    expect(families.some((f) => /_ms(_|$)/.test(f.name))).toBe(false);
  });

  it('includes the process metrics of prom-client', () => {
    const names = families.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']));
  });
});
