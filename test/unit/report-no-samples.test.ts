// A run too short for one interval sample still makes a whole page: it says there is nothing
// to chart over time instead of drawing empty charts, and still draws the latency spectrum when
// round trips completed (none at all: it says so too). So does a run whose only sample is its
// end, a few ms long: every rate in it would be a gap.
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/index.js';
import { syntheticResult } from '../helpers/reportFixture.js';

const chartIds = (html: string) =>
  (JSON.parse(/id="report-data">([^<]*)<\/script>/.exec(html)![1]!).charts as { id: string }[]).map((c) => c.id);

describe('a report without samples', () => {
  it('says so, and charts only the distribution', () => {
    const html = renderReport(syntheticResult({ samples: 0, roundTrips: 500 }));
    expect(html).toContain('id="no-samples"');
    expect(html).toMatch(/No interval sample was taken \(one every 1000 ms\)/);
    expect(chartIds(html)).toEqual(['spectrum']);
    expect(html.match(/class="chart"/g)).toHaveLength(1);
    expect(html).toMatch(/<\/html>\n$/);
  });

  it('with no round trip either, draws no chart at all', () => {
    const html = renderReport(syntheticResult({ samples: 0, roundTrips: 0 }));
    expect(chartIds(html)).toEqual([]);
    expect(html).not.toContain('class="chart"');
    expect(html).toContain('No round trip completed');
    expect(html).toContain('id="verdict" class="verdict pass">PASS<');
  });

  it('a run over within a quarter of its first interval: the same, with how long it lasted', () => {
    const r = syntheticResult({ samples: 1, roundTrips: 40 });
    r.elapsedMs = 97;
    r.samples = [{ ...r.samples[0]!, elapsedMs: 97, intervalMs: 97 }];
    const html = renderReport(r);
    expect(html).toContain('id="no-samples"');
    expect(html).toMatch(/The run lasted 97 ms, under a quarter of its first interval \(one every 1000 ms\)/);
    expect(chartIds(html)).toEqual(['spectrum']);
    expect(html).not.toContain('counters were not readable');
  });
});
