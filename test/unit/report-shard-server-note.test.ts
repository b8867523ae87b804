// A shard does not read the server's counters while it runs (--stats is refused with --shard; the
// merge reads them once, after the run). Its report, and a merged report, say so where the
// server's chart would be, instead of blaming an external server run without --stats.
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/html.js';
import type { ReportResult } from '../../src/report/types.js';
import { syntheticResult } from '../helpers/reportFixture.js';

const plan = { connections: 40, total: null, stages: [], rate: 0, msgRate: 0, msgStages: [] };
const WITHOUT_STATS = 'an external server without --stats';

describe("the note where the server's chart would be", () => {
  it("a shard's report: shards do not sample the server, the merge reads it", () => {
    const html = renderReport({ ...syntheticResult({ server: false }), shard: { index: 2, count: 3, plan } } as ReportResult);
    expect(html).toContain("A shard does not read the server's counters during its run; iocp-bench merge --stats reads them once, after the run.");
    expect(html).not.toContain(WITHOUT_STATS);
  });

  it('a merged report: the same, in the words of the merge', () => {
    const shards = [1, 2].map((index) => ({ file: `s${index}.json`, index, count: 2, verdict: 'PASS', startOffsetMs: 0 }));
    const html = renderReport({ ...syntheticResult({ server: false }), shard: null, merge: { shards } } as ReportResult);
    expect(html).toContain("Shards do not read the server's counters during the run; the merge reads them once, after it (merge --stats).");
    expect(html).not.toContain(WITHOUT_STATS);
  });

  it('a single run against a server whose counters went unread: the --stats hint', () => {
    expect(renderReport(syntheticResult({ server: false }))).toContain(WITHOUT_STATS);
  });
});
