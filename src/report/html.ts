/**
 * renderReport(): a flood's result as ONE self-contained HTML file. uPlot's script and CSS are
 * inlined (read from node_modules when a report is rendered, never at import), the charts' data
 * is embedded as JSON in a <script type="application/json"> element, and nothing on the page
 * names another URL: it opens from disk with no network.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chartsOverTime, spectrumChart, timeCharts, type ChartSpec } from './charts.js';
import { CLIENT_SCRIPT } from './client.js';
import { STYLE } from './style.js';
import type { ReportResult } from './types.js';
import { formatSpan } from '../units.js';
import {
  assertionsSection,
  connectionsSection,
  esc,
  faultsSection,
  leakLine,
  parametersSection,
  serverTable,
  summarySection,
  shardCount,
  shardsSection,
  verdictSection,
} from './sections.js';

/** uPlot's minified script and CSS, from the installed package. */
function uplotAssets(): { js: string; css: string } {
  const require = createRequire(import.meta.url);
  const read = (file: string) => readFileSync(require.resolve(`uplot/dist/${file}`), 'utf8');
  return { js: read('uPlot.iife.min.js'), css: read('uPlot.min.css') };
}

/**
 * JSON for a <script type="application/json"> element: `<`, `>` and `&` as \u escapes, so no
 * string in the data (a fault's detail, an error message) can close the element or open a comment.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Script source for an inline <script>: no `</script` can end it early. */
function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** Style source for an inline <style>: no `</style` can end it early. */
function inlineStyle(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}

const chartBox = (c: ChartSpec) => `<div class="card"><h3>${esc(c.title)}</h3><div class="chart" id="chart-${esc(c.id)}"></div></div>`;

function overTimeSection(r: ReportResult, charts: ChartSpec[]): string {
  const head = '<h2>Over time</h2>';
  if (!chartsOverTime(r)) {
    const every = r.intervalMs > 0 ? ` (one every ${r.intervalMs} ms)` : '';
    const what =
      r.samples.length === 0
        ? `No interval sample was taken${every}: the run ended before its first interval`
        : `The run lasted ${formatSpan(r.elapsedMs)}, under a quarter of its first interval${every}`;
    return `${head}<p id="no-samples" class="note">${esc(what)}, so there is nothing to chart over time.</p>`;
  }
  const shown = charts.filter((c) => c.id !== 'server' && c.id !== 'spectrum');
  return `${head}<p class="note">${esc(r.samples.length)} sample${r.samples.length === 1 ? '' : 's'}, one per ${esc(r.intervalMs)} ms; latencies are those of the round trips completed in each interval. A last interval under a quarter of that is left out of the per-second rates.</p><div class="grid">${shown.map(chartBox).join('')}</div>`;
}

function spectrumSection(r: ReportResult, spectrum: ChartSpec | null): string {
  const head = '<h2>Latency distribution</h2>';
  if (!spectrum) return `${head}<p class="note">No round trip completed: no distribution to show.</p>`;
  const note =
    r.latencyUs.serviceTime !== null
      ? 'Open loop: the corrected round trip counts from when the schedule meant to send; the uncorrected service time from the send call.'
      : 'The whole run, from its latency histogram; the x axis stretches the tail (90%, 99%, 99.9%... evenly spaced).';
  return `${head}<p class="note">${esc(note)}</p><div class="grid">${chartBox(spectrum)}</div>`;
}

/** Why a run with samples over time has none of the server's counters among them. */
function noServerSamples(r: ReportResult): string {
  // Shards do not sample the server (--stats is refused with --shard): the merge reads it once, after the run.
  if (r.merge) return "Shards do not read the server's counters during the run; the merge reads them once, after it (merge --stats).";
  if (r.shard) return "A shard does not read the server's counters during its run; iocp-bench merge --stats reads them once, after the run.";
  return "The server's counters were not readable during the run (an external server without --stats).";
}

function serverSection(r: ReportResult, charts: ChartSpec[]): string {
  const chart = charts.find((c) => c.id === 'server');
  const over = chart
    ? `<div class="grid">${chartBox(chart)}</div>`
    : chartsOverTime(r)
      ? `<p class="note">${noServerSamples(r)}</p>`
      : '';
  return ['<h2>Server</h2>', leakLine(r), over, serverTable(r)].join('\n');
}

/** The result as one self-contained HTML page (UTF-8). */
export function renderReport(result: ReportResult): string {
  const r = result;
  const time = timeCharts(r);
  const spectrum = spectrumChart(r);
  const charts = spectrum ? [...time, spectrum] : time;
  const { js, css } = uplotAssets();
  const title = `iocp-bench ${r.merge ? `merged flood report (${shardCount(r.merge)})` : 'flood report'}: ${r.verdict}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${esc(title)}</title>
<style>${inlineStyle(css)}</style>
<style>${inlineStyle(STYLE)}</style>
</head>
<body>
<main>
${verdictSection(r)}
${shardsSection(r)}
${parametersSection(r)}
${summarySection(r)}
${overTimeSection(r, time)}
${spectrumSection(r, spectrum)}
${connectionsSection(r)}
${faultsSection(r)}
${serverSection(r, time)}
${assertionsSection(r)}
<p class="muted">Made by iocp-bench. Charts: uPlot (MIT licence, Leon Sorokin), inlined.</p>
</main>
<script type="application/json" id="report-data">${jsonForScript({ verdict: r.verdict, charts })}</script>
<script>${inlineScript(js)}</script>
<script>${inlineScript(CLIENT_SCRIPT)}</script>
</body>
</html>
`;
}
