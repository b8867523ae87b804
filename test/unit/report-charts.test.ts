// What the report charts over time, from the samples: the interval latencies (with the service
// time beside them in open loop only), a gap where no round trip completed in an interval, and
// the server's counters only when they were read (else a note says why there is no chart).
import { describe, expect, it } from 'vitest';
import { timeCharts } from '../../src/report/charts.js';
import { renderReport } from '../../src/report/index.js';
import { syntheticResult } from '../helpers/reportFixture.js';

const labels = (r: ReturnType<typeof syntheticResult>, id: string) => timeCharts(r).find((c) => c.id === id)?.series.map((s) => s.label);

describe('the charts over time', () => {
  it('latency per interval: service time beside the round trip in open loop only', () => {
    expect(labels(syntheticResult(), 'latency')).toEqual(['p50', 'p90', 'p99', 'max']);
    expect(labels(syntheticResult({ openLoop: true }), 'latency')).toEqual([
      'round trip p50', 'round trip p90', 'round trip p99', 'round trip max', 'service time p50', 'service time p99',
    ]);
  });

  it('an interval without a round trip is a gap, not a zero; values in ms', () => {
    const r = syntheticResult({ samples: 4 });
    r.samples[1]!.roundTripUs = { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
    const p50 = timeCharts(r).find((c) => c.id === 'latency')!.series[0]!.values;
    expect(p50[1]).toBeNull();
    expect(p50[0]).toBe(r.samples[0]!.roundTripUs.p50 / 1000);
    expect(timeCharts(r)[0]!.x).toEqual([1, 2, 3, 4]);
  });

  it("the server's counters: charted when read, else a note", () => {
    const read = syntheticResult();
    expect(labels(read, 'server')).toEqual(['live sessions', 'outstanding operations', 'RSS (MiB)']);
    expect(timeCharts(read).find((c) => c.id === 'server')!.series[2]!.values[0]).toBe(60);
    const unread = syntheticResult({ server: false });
    expect(labels(unread, 'server')).toBeUndefined();
    expect(renderReport(unread)).toContain("The server's counters were not readable during the run");
    expect(labels(syntheticResult(), 'faults')).toBeUndefined();
    expect(labels(syntheticResult({ faults: true }), 'faults')).toEqual(['faults', 'errors']);
  });
});
