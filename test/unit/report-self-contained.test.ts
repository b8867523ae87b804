// The HTML report is one file that needs nothing else: uPlot's script and CSS inlined, no URL
// but the one in uPlot's own banner comment, nothing loaded by src/href/import, and the result's
// text (a fault's detail holding `</script>`) escaped so it cannot end the data element.
import { describe, expect, it } from 'vitest';
import { jsonForScript } from '../../src/report/html.js';
import { renderReport } from '../../src/report/index.js';
import { syntheticResult } from '../helpers/reportFixture.js';

/** The one URL uPlot's minified script carries: its licence banner, a comment. */
const UPLOT_BANNER = /\/\*! https:\/\/github\.com\/leeoniya\/uPlot \(v[\d.]+\) \*\//;

const dataOf = (html: string) => JSON.parse(/<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html)![1]!);

describe('the HTML report is self-contained', () => {
  const html = renderReport(syntheticResult({ openLoop: true, faults: true }));

  it('inlines uPlot and names no URL outside its banner comment', () => {
    expect(html).toMatch(/var uPlot=function\(\)/);
    expect(html).toMatch(/\.uplot \{/);
    expect(html.match(UPLOT_BANNER)).not.toBeNull();
    expect(html.replace(UPLOT_BANNER, '').match(/https?:\/\/|\/\/[a-z0-9.-]+\.[a-z]{2,}\//gi)).toBeNull();
    expect(html).not.toMatch(/\ssrc=|\shref=|<link|<iframe|<img|@import|url\(/i);
  });

  it('escapes the result so no value can end the data element', () => {
    // The fixture's fault detail holds "<script>alert(1)</script>".
    expect(html.match(/<script/g)).toHaveLength(3);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    const data = dataOf(html);
    expect(data.verdict).toBe('FAIL');
    const nasty = { s: '</script><!-- <script>&\u2028' };
    const embedded = jsonForScript(nasty);
    expect(embedded).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(embedded)).toEqual(nasty);
    expect(data.charts.map((c: { id: string }) => c.id)).toEqual(['messages', 'bytes', 'connections', 'latency', 'faults', 'server', 'spectrum']);
  });
});
