// A shard runs its share of the plan's rates (--rate 10 over 3 shards: 3.333... each), and a
// staged open loop's target is an average: the text report and the HTML page show such rates as
// every rate is shown (to 0.01 below 100 a second, whole above, two significant digits below
// 0.005), not as 3.3333333333333335 or as 0.
import { describe, expect, it } from 'vitest';
import { renderReport as renderText } from '../../src/client/cli/report.js';
import { renderReport as renderHtml } from '../../src/report/html.js';
import type { ReportResult } from '../../src/report/types.js';
import { syntheticResult } from '../helpers/reportFixture.js';

/** A result with the rates of shard 1 of 3 of `--rate 10 --msg-rate 10s:1000,20s:5000`. */
function shardOfThree(): ReportResult {
  const r = syntheticResult({ openLoop: true });
  r.options = { ...r.options, rate: 10 / 3, msgRate: 0, msgStages: [{ durationMs: 10_000, rate: 1000 / 3 }, { durationMs: 20_000, rate: 5000 / 3 }] };
  r.connections = { ...r.connections, targetPerSec: 10 / 3, achievedPerSec: 3.29 };
  // A merged run's achieved rate keeps two decimals above 100 too.
  r.messages = { ...r.messages, targetPerSec: 6500 / 9, achievedPerSec: 721.98 };
  return r;
}

const LONG_FRACTION = /\d\.\d{4,}/;

/** Shard 1 of 1000 of `--rate 1`: a rate 0.01 would round to nothing. */
function tinyShare(): ReportResult {
  const r = syntheticResult();
  r.options = { ...r.options, rate: 1 / 1000 };
  r.connections = { ...r.connections, targetPerSec: 1 / 1000, achievedPerSec: 0 };
  return r;
}

describe('fractional rates in reports', () => {
  it('a rate below 0.005/s keeps two significant digits, not 0', () => {
    expect(renderText(tinyShare())).toContain('0.001 new connections/s');
    expect(renderText(tinyShare())).toContain('connection rate: target 0.001 conn/s, achieved 0 conn/s');
    expect(renderHtml(tinyShare())).toContain('<dd>0.001/s</dd>');
  });

  it('the text report: plan and rate lines', () => {
    const text = renderText(shardOfThree());
    expect(text).toContain('3.33 new connections/s');
    expect(text).toContain('open loop ramping 10s:333,20s:1667 msg/s');
    expect(text).toContain('connection rate: target 3.33 conn/s, achieved 3.29 conn/s');
    expect(text).toContain('open loop: target 722 msg/s, achieved 722 msg/s');
    expect(text).not.toMatch(LONG_FRACTION);
  });

  it('the HTML page: parameters and summary', () => {
    const html = renderHtml(shardOfThree());
    expect(html).toContain('<dd>3.33/s</dd>');
    expect(html).toContain('10s:333/s, 20s:1667/s, open loop');
    expect(html).toContain('target 3.33/s, achieved 3.29/s');
    expect(html).toContain('target 722 msg/s, achieved 722 msg/s');
    // The page's own text (not its embedded chart data and scripts) holds no long fraction.
    const text = html.replace(/<script[\s\S]*?<\/script>/g, '');
    expect(text).not.toMatch(LONG_FRACTION);
  });
});
