/**
 * The text report of a FloodResult: tables per section (connections, latency, faults, the
 * server's counters and the leak verdict), PASS or FAIL on the last line. A pure function of the
 * result.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { ServerStats } from '../../server/index.js';
import { FAULT_CLASSES } from '../verify/diagnose.js';
import { connectionsAtOnce, noFaultDetail, peakText, type FloodResult } from '../verdict/result.js';
import { DISCONNECT_MODES } from '../run/scenarios.js';
import type { LatencySummary } from '../run/floodCounters.js';
import { formatBytes, formatCount, formatMicros, formatMs, formatRate, showRate, startOffsetText } from '../../units.js';
import type { Stage } from '../options.js';
import type { RateStage } from '../run/rateSchedule.js';
import type { FloodStartInfo } from '../flood.js';
import type { MergedResult } from '../merge/mergeResults.js';

/** How many fault and error examples the text report lists (the JSON has them all). */
const SAMPLES_SHOWN = 5;
/** A run for a time that took this much longer than its time says why (ms). */
const TAIL_SHOWN_MS = 100;

const STOPPED_EARLY = {
  stop: 'stopped early on request: no new connection after it, those running finished',
  abort: 'aborted on request: the connections still running were cut off',
} as const;

/** The transport, and how many threads ran on another one (a uring thread without its ring). */
function transportText(r: FloodResult): string {
  const asked = r.options.transport;
  const threads = Object.values(r.options.transportThreads).reduce((a, b) => a + b, 0);
  const others = Object.entries(r.options.transportThreads).filter(([name]) => name !== asked);
  if (others.length === 0) return asked;
  return `${asked} (${others.map(([name, n]) => `${n} of ${threads} thread(s) on ${name}`).join(', ')})`;
}

/** The width every line of the text report fits (prose lines are wrapped to it). */
export const REPORT_WIDTH = 80;

/**
 * The final report as text: sections, PASS or FAIL (or ABORTED) on the last line. `header`
 * false leaves out the lines the CLI printed at the start (renderStartHeader) and says only how
 * long the run took.
 */
export function renderReport(r: FloodResult, opts: { color?: boolean; header?: boolean } = {}): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out = [
    ...(opts.header === false ? ranLine(c, r) : header(c, r)),
    ...connectionsSection(c, r),
    ...trafficSection(c, r),
    ...latencySection(c, r),
    ...faultsSection(c, r),
    ...errorsSection(c, r),
    ...serverSection(c, r),
    ...assertionsSection(c, r),
    ...verdictLine(c, r),
  ];
  return out.join('\n') + '\n';
}

/**
 * What the CLI prints as soon as the target is known, before any connection: where, the seed and
 * the plan. The final report (renderReport with `header: false`) follows it.
 */
export function renderStartHeader(info: FloodStartInfo, opts: { color?: boolean } = {}): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const lines = [
    c.bold(`iocp-bench flood -> ${targetText(info.host, info.port, info.embedded, info.backend, info.lifetime)}`),
    `seed ${info.seed} | up to ${connectionsAtOnce(info)} at once | ${threadsText(info.workers)} | transport ${info.transport}`,
    ...wrap(`plan: ${planText(info)}`),
  ];
  return lines.join('\n') + '\n';
}

/** Word-wraps one line of prose to REPORT_WIDTH; continuation lines are indented by `indent`. */
export function wrap(text: string, indent = '  ', width = REPORT_WIDTH): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines;
}

/** The target; a server that runs a lifetime other than refcount (a bug, on purpose) says which. */
function targetText(host: string, port: number, embedded: boolean, backend: string | null, lifetime: string | null): string {
  const at = hostPort(host, port);
  const bug = lifetime !== null && lifetime !== 'refcount' ? `lifetime ${lifetime}` : null;
  if (embedded) return `embedded ${backend ?? ''} server${bug ? ` (${bug})` : ''} on ${at}`;
  const about = [backend, bug].filter((x) => x !== null);
  return `${at}${about.length ? ` (${about.join(', ')})` : ''}`;
}

const threadsText = (n: number): string => (n === 0 ? 'on the main thread' : `${n} client thread${n === 1 ? '' : 's'}`);

/** The plan in words: how many connections or how long, and the paces asked for. */
function planText(p: { total: number | null; durationMs: number; stages: Stage[]; rate: number; msgRate: number; msgStages: RateStage[] }): string {
  const count = p.total !== null ? `${p.total} connection${p.total === 1 ? '' : 's'}` : null;
  // -n with -d: whichever ends first.
  const parts = [count === null ? `for ${formatMs(p.durationMs)}` : p.durationMs > 0 ? `${count} or ${formatMs(p.durationMs)}, whichever ends first` : count];
  if (p.stages.length) parts.push(`stages ${p.stages.map((s) => `${formatMs(s.durationMs)}:${s.target}`).join(',')}`);
  if (p.rate > 0) parts.push(`${showRate(p.rate)} new connections/s`);
  if (p.msgStages.length) parts.push(`open loop ramping ${p.msgStages.map((s) => `${formatMs(s.durationMs)}:${showRate(s.rate)}`).join(',')} msg/s`);
  else parts.push(p.msgRate > 0 ? `open loop at ${showRate(p.msgRate)} msg/s` : 'closed loop');
  return parts.join(' | ');
}

/** host:port, with an IPv6 host in brackets ([::1]:7777). */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Whether to colour output for `stream`: never when NO_COLOR is set and not empty (no-color.org),
 * always when FORCE_COLOR is set to anything but 0 or false, otherwise on a terminal only.
 */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return !['0', 'false'].includes(env.FORCE_COLOR);
  return stream.isTTY === true;
}

function header(c: ChalkInstance, r: FloodResult): string[] {
  const t = r.target;
  const o = r.options;
  return [
    c.bold(`iocp-bench flood -> ${targetText(t.host, t.port, t.embedded, t.backend, t.lifetime ?? null)}`),
    `seed ${o.seed} | up to ${connectionsAtOnce(o)} at once | ${threadsText(o.workers)} | transport ${transportText(r)}`,
    ...wrap(`plan: ${planText(o)}`),
    ...ranLine(c, r),
  ];
}

/** How long the run took, on which transport where threads differed, and whether it was cut short. */
function ranLine(c: ChalkInstance, r: FloodResult): string[] {
  const asked = r.options.transport;
  const others = Object.entries(r.options.transportThreads).filter(([name]) => name !== asked);
  const on = others.length ? `; ${others.map(([name, n]) => `${n} thread(s) ran on ${name}`).join(', ')}` : '';
  const out = [...wrap(`ran ${(r.elapsedMs / 1000).toFixed(2)} s${tailText(r)}${on}`), ...scaleOutLines(r).flatMap((l) => wrap(l))];
  if (r.stoppedEarly) out.push(...wrap(STOPPED_EARLY[r.stoppedEarly]).map((l) => c.yellow(l)));
  out.push('');
  return out;
}

/**
 * A run for a time opens connections for that long, then waits for the ones still open to finish
 * (an idle hold, a slow drip): say so when that took a noticeable part of the run. A merged run
 * spans from its first shard's start to its last one's end: its wind-down is the shards' own (the
 * longest: a shard's run past the duration), and shards that started apart say so separately,
 * rather than the gap passing for a wind-down.
 */
function tailText(r: FloodResult): string {
  const o = r.options;
  const shards = 'merge' in r ? (r as MergedResult).merge.shards : null;
  const ranMs = shards?.length ? Math.max(...shards.map((s) => s.elapsedMs)) : r.elapsedMs;
  const tailMs = ranMs - o.durationMs;
  // Shards with no start (one that never ran) are left out of the gap.
  const after = (shards?.map((s) => s.startedAfterMs) ?? []).filter((t): t is number => t !== null);
  const gapMs = after.length > 1 ? Math.max(...after) - Math.min(...after) : 0;
  const parts: string[] = [];
  if (o.total === null && !r.stoppedEarly && o.durationMs > 0 && tailMs >= TAIL_SHOWN_MS) {
    const tail = `${shards ? 'up to ' : ''}${(tailMs / 1000).toFixed(2)} s`;
    // An open loop behind a stalled server also sends, past the deadline, what its schedule had due.
    parts.push(o.msgRate > 0
      ? `its schedule for ${formatMs(o.durationMs)}, then ${tail} for what it had due and those still open to finish`
      : `new connections for ${formatMs(o.durationMs)}, then ${tail} for those still open to finish`);
  }
  if (gapMs >= TAIL_SHOWN_MS) parts.push(`the shards started up to ${(gapMs / 1000).toFixed(2)} s apart`);
  return parts.length ? `: ${parts.join('; ')}` : '';
}

/** --shard, --start-at and --source, each on a line when given (`iocp-bench merge` shows them too). */
export function scaleOutLines(r: Pick<FloodResult, 'shard' | 'startAt' | 'options'>): string[] {
  const out: string[] = [];
  if (r.shard) {
    const p = r.shard.plan;
    out.push(`shard ${r.shard.index}/${r.shard.count} of a plan of ${p.stages.length ? 'staged' : `up to ${p.connections} at once`}` +
      `${p.total === null ? '' : `, ${p.total} in all`}: connection ids j with j mod ${r.shard.count} = ${r.shard.index - 1}`);
  }
  if (r.startAt) out.push(`start at ${r.startAt.at}: began ${startOffsetText(r.startAt.offsetMs)}`);
  const s = r.options.sources;
  if (s.count > 0) out.push(`source addresses: ${s.count} (${s.addresses.join(', ')}${s.count > s.addresses.length ? ', ...' : ''})`);
  return out;
}

function connectionsSection(c: ChalkInstance, r: FloodResult): string[] {
  const modes = table(c, ['Connections', 'started', 'ok', 'fault', 'error']);
  for (const m of DISCONNECT_MODES) {
    const row = r.connections.byMode[m];
    if (row.started === 0) continue;
    modes.push([`  ${m}`, row.started, row.ok, row.fault ? c.red(row.fault) : 0, row.error ? c.yellow(row.error) : 0]);
  }
  modes.push([c.bold('  all'), r.connections.started, r.connections.ok, r.connections.faulted, r.connections.errored]);
  const out = [render(modes)];
  const asked = Math.min(r.options.connections, r.options.total ?? Infinity);
  const peak = r.connections.peakActive;
  if (r.connections.started === 0) out.push('no connection was opened');
  else if (peak < 0.9 * asked) {
    // A --rate pace that was kept is the cause, not the server: had the count filled, the pace
    // would have had to wait for it and fallen short. A pace that fell short says nothing of it.
    const { targetPerSec, achievedPerSec } = r.connections;
    const paced = targetPerSec !== null && achievedPerSec !== null && achievedPerSec >= 0.97 * targetPerSec;
    const why = paced
      ? `connections ended before the pace asked (${formatRate(targetPerSec)}/s${r.shard ? ", this shard's share of --rate" : ''}) could open ${asked} at once`
      : 'connections ended (or failed) faster than they could be opened';
    out.push(...wrap(`reached ${peak} at once of the ${asked} asked: ${why}`).map((l) => (paced ? l : c.yellow(l))));
  }
  else out.push(peakText(r));
  if (r.connections.aborted) out.push(...wrap(abortedText(r)));
  return out;
}

/** Why connections were aborted: a stop, the server gone, or (a run by time) echoes still going --timeout after the deadline. */
function abortedText(r: FloodResult): string {
  const n = `${r.connections.aborted} connection(s)`;
  if (r.stoppedEarly === null && r.serverGone === null && r.options.durationMs > 0) {
    return `${n} still echoing ${formatMs(r.options.timeoutMs)} (--timeout) after the deadline were aborted`;
  }
  return `${n} were still running at the end and were aborted`;
}

function trafficSection(c: ChalkInstance, r: FloodResult): string[] {
  const out = [
    '',
    c.bold('Traffic'),
    `${formatCount(r.messages.verified)} of ${formatCount(r.messages.sent)} messages verified | ${formatCount(r.messages.perSec)} msg/s | ` +
      `${formatCount(r.connections.perSec)} conn/s`,
    `bytes out ${formatBytes(r.bytes.sent)}, in ${formatBytes(r.bytes.received)} | ${formatBytes(r.bytes.perSec)}/s`,
  ];
  const rate = (what: string, target: number | null, got: number | null, unit: string) => {
    if (target !== null) out.push(`${what}: target ${formatRate(target)} ${unit}, achieved ${formatRate(got ?? 0)} ${unit}`);
  };
  rate('open loop', r.messages.targetPerSec, r.messages.achievedPerSec, 'msg/s');
  rate('connection rate', r.connections.targetPerSec, r.connections.achievedPerSec, 'conn/s');
  for (const w of r.warnings) out.push(...wrap(`warning: ${w}`).map((l) => c.yellow(l)));
  out.push('');
  return out;
}

function latencySection(c: ChalkInstance, r: FloodResult): string[] {
  const lat = table(c, ['Latency', 'count', 'p50', 'p90', 'p99', 'p99.9', 'max']);
  const latRow = (name: string, s: LatencySummary) =>
    lat.push([`  ${name}`, s.count, ...[s.p50, s.p90, s.p99, s.p999, s.max].map((v) => (s.count ? formatMicros(v) : '-'))]);
  latRow('connect', r.latencyUs.connect);
  const service = r.latencyUs.serviceTime;
  if (service === null) {
    latRow('round trip', r.latencyUs.roundTrip);
    return [render(lat), ''];
  }
  latRow('round trip', r.latencyUs.roundTrip);
  latRow('service time', service);
  return [
    render(lat),
    ...wrap(
      'open loop: a round trip counts from the time the schedule meant to send the frame, so a stalled server shows in it; ' +
        'service time counts from the call that sent it',
    ),
    '',
  ];
}

function faultsSection(c: ChalkInstance, r: FloodResult): string[] {
  if (r.faults.total === 0) {
    const [first, ...rest] = wrap(`Faults none: ${noFaultDetail(r.messages)}`);
    return [first!.replace('Faults', c.bold('Faults')), ...rest];
  }
  const f = table(c, ['Faults', 'connections']);
  for (const k of FAULT_CLASSES) if (r.faults[k]) f.push([c.red(`  ${k}`), r.faults[k]]);
  const samples = r.faultSamples.slice(0, SAMPLES_SHOWN).flatMap((s) => wrap(`  connection ${s.connection} (${s.mode}): ${s.fault}: ${s.detail}`, '    '));
  return [render(f), ...samples];
}

function errorsSection(c: ChalkInstance, r: FloodResult): string[] {
  const e = r.errors;
  const total = e.total === 0 ? 'none' : `${e.total} (reset ${e.reset}, refused ${e.refused}, timeout ${e.timeout}, other ${e.other})`;
  const samples = r.errorSamples.slice(0, SAMPLES_SHOWN).flatMap((s) => wrap(`  connection ${s.connection} (${s.mode}): ${s.message}`, '    '));
  return [`${c.bold('Network errors')} ${total}`, ...samples, ''];
}

function serverSection(c: ChalkInstance, r: FloodResult): string[] {
  const out: string[] = [];
  if (r.leak.before || r.leak.after) out.push(...serverTable(c, r.leak.before, r.leak.after));
  else out.push(c.bold('Server'));
  const leakLine =
    r.leak.status === 'clean'
      ? [c.green(`leak check clean (${r.leak.settleMs} ms): every session freed, nothing outstanding, nothing stale`)]
      : r.leak.status === 'not-run'
        ? wrap(`leak check not run: ${r.leak.reasons.join('; ')}`).map((l) => c.yellow(l))
        : wrap(`leak check ${r.leak.status === 'leak' ? `FAILED (${r.leak.settleMs} ms)` : 'error'}: ${r.leak.reasons.join('; ')}`).map((l) => c.red(l));
  out.push(...leakLine);
  return out;
}

function assertionsSection(c: ChalkInstance, r: FloodResult): string[] {
  if (!r.assertions.length) return [];
  const lines = r.assertions.map((a) => `  ${a.ok ? c.green('ok  ') : c.red('FAIL')} ${a.expr} (actual ${a.shown})`);
  return ['', c.bold('Assertions'), ...lines];
}

function verdictLine(c: ChalkInstance, r: FloodResult): string[] {
  // Aborted (a second Ctrl-C): the connections still running were cut off; say so first.
  if (r.stoppedEarly === 'abort')
    return ['', c.bold.yellow(`ABORTED: the run was cut off on request; what ran: ${r.verdict === 'PASS' ? 'PASS' : `FAIL: ${r.reasons.join('; ')}`}`)];
  const early = r.stoppedEarly ? ' (stopped early)' : '';
  return ['', r.verdict === 'PASS' ? c.bold.green(`PASS${early}`) : c.bold.red(`FAIL${early}: ${r.reasons.join('; ')}`)];
}

/** No borders, a first column of names and right-aligned numbers: a table that fits 80 columns. */
const NO_BORDER = Object.fromEntries(
  ['top', 'top-mid', 'top-left', 'top-right', 'bottom', 'bottom-mid', 'bottom-left', 'bottom-right', 'left', 'left-mid', 'mid', 'mid-mid', 'right', 'right-mid', 'middle'].map((k) => [k, '']),
);

function table(c: ChalkInstance, head: string[]): Table.Table {
  return new Table({
    head: head.map((h) => c.bold(h)),
    chars: NO_BORDER,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 2 },
    colAligns: ['left', ...head.slice(1).map(() => 'right' as const)],
  });
}

/** A table's text without the trailing padding of each line. */
const render = (t: Table.Table): string => t.toString().split('\n').map((l) => l.trimEnd()).join('\n');

function serverTable(c: ChalkInstance, before: ServerStats | null, after: ServerStats | null): string[] {
  const t = table(c, ['Server', 'live', 'peak', 'accepted', 'freed', 'rejected', 'outstanding', 'stale']);
  const row = (name: string, s: ServerStats) =>
    t.push([`  ${name}`, s.sessions.live, s.sessions.peak, s.sessions.accepted, s.sessions.freed, s.sessions.rejected, s.ops.outstanding, s.staleCompletions]);
  if (before) row('before', before);
  if (after) row('after', after);
  const last = after ?? before!;
  return [render(t), `  bytes in ${formatBytes(last.bytes.in)}, out ${formatBytes(last.bytes.out)} (${after ? 'after' : 'before'})`];
}
