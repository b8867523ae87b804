/**
 * The report's HTML sections that are text and tables (the charts are drawn by the page's
 * script): the verdict, the run's parameters, the summary, connections by mode, faults and
 * errors, the server's counters and the leak verdict, the assertions. Every value is escaped.
 */
import type { ServerStats } from '../server/index.js';
import type { LatencySummary } from '../client/run/floodCounters.js';
import { DISCONNECT_MODES } from '../client/run/scenarios.js';
import { FAULT_CLASSES } from '../client/verify/diagnose.js';
import { connectionsAtOnce, noFaultDetail, peakText } from '../client/verdict/result.js';
import { formatBytes, formatCount, formatMicros, formatMs, showRate, startOffsetText, type Range } from '../units.js';
import type { ReportMerge, ReportResult } from './types.js';

/** HTML-escapes text (element content and double-quoted attribute values alike). */
export function esc(v: unknown): string {
  return String(v).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const hostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);
const range = (r: Range, show: (n: number) => string = String) => (r.min === r.max ? show(r.min) : `${show(r.min)}-${show(r.max)}`);
const list = (cls: string, items: string[]) => (items.length ? `<ul class="${cls}">${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>` : '');

/** A table; `head` null: a two-column list of names and values, the names as row headers. */
function table(head: string[] | null, rows: unknown[][], cls = ''): string {
  const th = head ? `<thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>` : '';
  const cell = (c: unknown, i: number) => (head === null && i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`);
  const body = rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('');
  return `<table${cls ? ` class="${cls}"` : ''}>${th}<tbody>${body}</tbody></table>`;
}

const STOPPED = {
  stop: 'Stopped early on request: no connection was opened after it, those running finished; the verdict covers what ran.',
  abort: 'Aborted on request: the connections still running were cut off; the verdict covers what ran.',
} as const;

/** The title, the verdict, its reasons and the warnings. */
export function verdictSection(r: ReportResult): string {
  const t = r.target;
  const where = t.embedded ? `embedded ${t.backend ?? ''} server on ${hostPort(t.host, t.port)}` : hostPort(t.host, t.port);
  const start = r.samples.length ? new Date(r.samples[0]!.time - r.samples[0]!.elapsedMs).toISOString() : null;
  const merged = r.merge ? ` (merged from ${shardCount(r.merge)})` : '';
  return [
    `<h1>iocp-bench flood${esc(merged)} &rarr; ${esc(where)}</h1>`,
    `<p class="muted">${start ? `started ${esc(start)} &middot; ` : ''}ran ${esc((r.elapsedMs / 1000).toFixed(2))} s &middot; seed ${esc(r.options.seed)}</p>`,
    `<div id="verdict" class="verdict ${r.verdict === 'PASS' ? 'pass' : 'fail'}">${esc(r.verdict)}</div>`,
    r.stoppedEarly ? `<p class="warn">${esc(STOPPED[r.stoppedEarly])}</p>` : '',
    list('reasons', r.reasons),
    list('warnings', r.warnings.map((w) => `warning: ${w}`)),
  ].join('\n');
}

/** `3 shards`, `1 shard`. */
export const shardCount = (m: ReportMerge): string => `${m.shards.length} shard${m.shards.length === 1 ? '' : 's'}`;

/** A merged run's shards: index, verdict, file and how late each started (--start-at); '' for one run. */
export function shardsSection(r: ReportResult): string {
  if (!r.merge) return '';
  const rows = r.merge.shards.map((s) => [
    s.index !== null ? `${s.index}/${s.count ?? '?'}` : '-',
    s.verdict,
    s.file,
    s.startOffsetMs === null ? '-' : startOffsetText(s.startOffsetMs),
  ]);
  return `<h2>Shards</h2>${table(['shard', 'verdict', 'file', 'start'], rows)}`;
}

/** Closed loop, or the open loop's rate (or its stages, duration:rate) and pipeline. */
function messageRate(r: ReportResult): string {
  const o = r.options;
  if (o.msgStages.length) return `${o.msgStages.map((s) => `${formatMs(s.durationMs)}:${showRate(s.rate)}/s`).join(', ')}, open loop, pipeline ${o.pipeline}`;
  return o.msgRate > 0 ? `${showRate(o.msgRate)}/s, open loop, pipeline ${o.pipeline}` : 'closed loop';
}

/** The run's parameters, as the flood resolved them. */
export function parametersSection(r: ReportResult): string {
  const o = r.options;
  const threads = Object.entries(o.transportThreads).map(([name, n]) => `${n} on ${name}`).join(', ');
  const rows: [string, string][] = [
    ['target', `${hostPort(r.target.host, r.target.port)}${r.target.embedded ? ' (embedded server)' : ''}`],
    ['server backend', r.target.backend ?? 'unknown'],
    ['server lifetime', r.target.lifetime ?? 'unknown'],
    ['transport', `${o.transport}${threads ? ` (client threads: ${threads})` : ''}`],
    ['profile', o.profile],
    ['connections at once', String(connectionsAtOnce(o))],
    ['connections in all', o.total === null ? 'unlimited' : String(o.total)],
    ['duration', o.durationMs > 0 ? formatMs(o.durationMs) : 'until the connections are done'],
    ['stages', o.stages.length ? o.stages.map((s) => `${formatMs(s.durationMs)}:${s.target}`).join(', ') : 'none'],
    ['connection rate', o.rate > 0 ? `${showRate(o.rate)}/s` : 'as fast as possible'],
    ['message rate', messageRate(r)],
    ['messages per connection', range(o.messages)],
    ['message size', `${range(o.size)} bytes${o.split ? ', writes split' : ''}`],
    ['disconnect mix', Object.entries(o.mix).filter(([, w]) => w > 0).map(([m, w]) => `${m}=${w}`).join(', ')],
    ['seed', String(o.seed)],
    ['client threads', String(o.workers)],
    ['stall timeout', formatMs(o.timeoutMs)],
    ['idle hold', range(o.holdMs, formatMs)],
    ['sample interval', r.intervalMs > 0 ? formatMs(r.intervalMs) : 'none'],
  ];
  if (o.sources.count > 0) rows.push(['source addresses', `${o.sources.count}: ${o.sources.addresses.join(', ')}${o.sources.count > o.sources.addresses.length ? ', ...' : ''}`]);
  if (r.shard) rows.push(['shard', `${r.shard.index} of ${r.shard.count} (the whole plan: ${r.shard.plan.connections} at once)`]);
  if (r.startAt) rows.push(['start at', `${r.startAt.at} (started ${startOffsetText(r.startAt.offsetMs)})`]);
  const items = rows.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('');
  return `<h2>Parameters</h2><dl class="params">${items}</dl>`;
}

/** The totals and the whole run's latency. */
export function summarySection(r: ReportResult): string {
  const c = r.connections;
  const m = r.messages;
  const rows: unknown[][] = [
    ['connections', `${c.started} started, ${c.ok} ok, ${c.faulted} faulted, ${c.errored} errored, ${c.aborted} aborted; ${peakText(r)}; ${formatCount(c.perSec)}/s`],
    ['messages', `${formatCount(m.verified)} verified of ${formatCount(m.sent)} sent; ${formatCount(m.perSec)}/s`],
    ['bytes', `${formatBytes(r.bytes.sent)} out, ${formatBytes(r.bytes.received)} in; ${formatBytes(r.bytes.perSec)}/s`],
  ];
  if (m.targetPerSec !== null) rows.push(['open loop', `target ${showRate(m.targetPerSec)} msg/s, achieved ${showRate(m.achievedPerSec ?? 0)} msg/s`]);
  if (c.targetPerSec !== null) rows.push(['connection rate', `target ${showRate(c.targetPerSec)}/s, achieved ${showRate(c.achievedPerSec ?? 0)}/s`]);
  const lat = (name: string, s: LatencySummary) => [name, s.count, ...[s.p50, s.p90, s.p99, s.p999, s.max].map((v) => (s.count ? formatMicros(v) : '-'))];
  const l = r.latencyUs;
  const latRows = [lat('connect', l.connect), lat(l.serviceTime ? 'round trip (from schedule)' : 'round trip', l.roundTrip)];
  if (l.serviceTime) latRows.push(lat('service time (from send)', l.serviceTime));
  return [
    `<h2>Summary</h2>${table(null, rows, 'params')}`,
    table(['latency', 'count', 'p50', 'p90', 'p99', 'p99.9', 'max'], latRows),
    l.serviceTime
      ? '<p class="note">Open loop: a round trip counts from the time the schedule meant to send the frame (corrected for coordinated omission); service time counts from the call that sent it.</p>'
      : '',
  ].join('\n');
}

/** Connections by disconnect mode and outcome. */
export function connectionsSection(r: ReportResult): string {
  const rows: unknown[][] = DISCONNECT_MODES.filter((m) => r.connections.byMode[m].started > 0).map((m) => {
    const b = r.connections.byMode[m];
    return [m, b.started, b.ok, b.fault, b.error];
  });
  const c = r.connections;
  rows.push(['all', c.started, c.ok, c.faulted, c.errored]);
  return `<h2>Connections by mode</h2>${table(['mode', 'started', 'ok', 'fault', 'error'], rows)}`;
}

/** Data faults by class and network errors by kind, with the first examples of each. */
export function faultsSection(r: ReportResult): string {
  const out = ['<h2>Faults and errors</h2>'];
  if (r.faults.total === 0) out.push(`<p class="good">No data fault: ${esc(noFaultDetail(r.messages))}.</p>`);
  else {
    out.push(table(['fault', 'connections'], FAULT_CLASSES.filter((f) => r.faults[f] > 0).map((f) => [f, r.faults[f]])));
    out.push(list('samples', r.faultSamples.slice(0, 20).map((s) => `connection ${s.connection} (${s.mode}): ${s.fault}: ${s.detail}`)));
  }
  const e = r.errors;
  if (e.total === 0) out.push('<p class="good">No network error.</p>');
  else {
    out.push(table(['network error', 'connections'], [['reset', e.reset], ['refused', e.refused], ['timeout', e.timeout], ['other', e.other], ['all', e.total]]));
    out.push(list('samples', r.errorSamples.slice(0, 20).map((s) => `connection ${s.connection} (${s.mode}): ${s.message}`)));
  }
  return out.join('\n');
}

/** The leak verdict as one line, classed by its status. */
export function leakLine(r: ReportResult): string {
  const l = r.leak;
  const why = esc(l.reasons.join('; '));
  switch (l.status) {
    case 'clean':
      return `<p id="leak" class="good">Leak check clean (settled in ${esc(l.settleMs)} ms): every session freed, nothing outstanding, no stale completion.</p>`;
    case 'not-run':
      return `<p id="leak" class="warn">Leak check not run: ${why}</p>`;
    case 'leak':
      return `<p id="leak" class="bad">Leak check FAILED: ${why}</p>`;
    default:
      return `<p id="leak" class="bad">Leak check error: ${why}</p>`;
  }
}

/** The server's counters before and after the run. */
export function serverTable(r: ReportResult): string {
  const row = (name: string, s: ServerStats) => [name, s.sessions.live, s.sessions.peak, s.sessions.accepted, s.sessions.freed, s.sessions.rejected, s.ops.outstanding, s.staleCompletions, formatBytes(s.bytes.in), formatBytes(s.bytes.out)];
  const rows = [r.leak.before ? row('before', r.leak.before) : null, r.leak.after ? row('after', r.leak.after) : null].filter((x) => x !== null);
  if (!rows.length) return '';
  return table(['server', 'live', 'peak', 'accepted', 'freed', 'rejected', 'outstanding', 'stale', 'bytes in', 'bytes out'], rows);
}

/** The --assert checks and how each came out. */
export function assertionsSection(r: ReportResult): string {
  if (!r.assertions.length) return '';
  const rows = r.assertions.map((a) => [a.expr, a.ok ? 'ok' : 'FAIL', a.shown]);
  return `<h2>Assertions</h2>${table(['check', 'outcome', 'actual'], rows)}`;
}
