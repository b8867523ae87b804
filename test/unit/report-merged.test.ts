// The HTML report of a merged run (merge --report) says it is one: its title and heading count the
// shards, and a table lists each with its verdict, file and start. A single run's report has none
// of that.
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/html.js';
import type { ReportResult } from '../../src/report/types.js';
import { syntheticResult } from '../helpers/reportFixture.js';

const shards = [
  { file: 's1.json', index: 1, count: 3, verdict: 'PASS', startOffsetMs: 4 },
  { file: 's2.json', index: 2, count: 3, verdict: 'PASS', startOffsetMs: 11 },
  { file: 's3.json', index: 3, count: 3, verdict: 'FAIL', startOffsetMs: null },
];

describe('merged report', () => {
  it('names the shards: title, heading, and a table of them', () => {
    const html = renderReport({ ...syntheticResult(), merge: { shards } } as ReportResult);
    expect(html).toContain('<title>iocp-bench merged flood report (3 shards): PASS</title>');
    expect(html).toMatch(/<h1>iocp-bench flood \(merged from 3 shards\) &rarr; /);
    expect(html).toContain('<h2>Shards</h2>');
    expect(html).toContain('<tr><td>1/3</td><td>PASS</td><td>s1.json</td><td>4 ms late</td></tr>');
    expect(html).toContain('<tr><td>3/3</td><td>FAIL</td><td>s3.json</td><td>-</td></tr>');
  });

  it('one shard is one shard; how late each started reads as in the text report', () => {
    const html = renderReport({ ...syntheticResult(), merge: { shards: [{ ...shards[0]!, startOffsetMs: 1200 }] } } as ReportResult);
    expect(html).toContain('<title>iocp-bench merged flood report (1 shard): PASS</title>');
    expect(html).toContain('<td>1.20 s late</td>');
  });

  it('a single run has no shards in its report', () => {
    const html = renderReport(syntheticResult());
    expect(html).toContain('<title>iocp-bench flood report: PASS</title>');
    expect(html).not.toContain('Shards');
    expect(html).not.toContain('merged');
  });
});
