// The run's last interval is often a few ms of its wind-down: its per-second rates would stand
// out as a spike at the charts' right edge, so an interval under a quarter of the nominal one is
// a gap in every rate series (its latencies still count).
import { describe, expect, it } from 'vitest';
import { timeCharts } from '../../src/report/charts.js';
import type { ReportResult } from '../../src/report/types.js';

const sample = (elapsedMs: number, intervalMs: number) => ({
  time: 1_700_000_000_000 + elapsedMs, elapsedMs, intervalMs,
  connections: { opened: 10, ok: 10, fault: 0, error: 0, aborted: 0, active: 5 },
  messages: { sent: 100, verified: 100, perSec: Math.round((100 * 1000) / intervalMs) },
  bytes: { sent: 1000, received: 1000, sentPerSec: Math.round(1e6 / intervalMs), receivedPerSec: Math.round(1e6 / intervalMs) },
  roundTripUs: { count: 100, p50: 100, p90: 200, p99: 300, max: 400 }, serviceTimeUs: null,
  faults: { total: 0 }, errors: { total: 0, reset: 0, refused: 0, timeout: 0, other: 0 }, server: null,
});

describe('the charts over time', () => {
  it('leave a short last interval out of the rates, not out of the latencies', () => {
    const r = { intervalMs: 1000, samples: [sample(1000, 1000), sample(2000, 1000), sample(2030, 30)], latencyUs: { serviceTime: null } } as unknown as ReportResult;
    const charts = Object.fromEntries(timeCharts(r).map((c) => [c.id, c]));
    const values = (id: string, label: string) => charts[id]!.series.find((s) => s.label === label)!.values;
    expect(values('messages', 'verified/s')).toEqual([100, 100, null]);
    expect(values('messages', 'sent/s')).toEqual([100, 100, null]);
    expect(values('bytes', 'received/s')).toEqual([1000, 1000, null]);
    expect(values('connections', 'opened/s')).toEqual([10, 10, null]);
    expect(values('connections', 'active')).toEqual([5, 5, 5]);
    const latency = charts[Object.keys(charts).find((k) => k.startsWith('lat'))!]!;
    expect(latency.series[0]!.values).toEqual([0.1, 0.1, 0.1]);
  });
});
