/**
 * The text report of a FloodResult: tables per section (connections, latency, faults, the
 * server's counters and the leak verdict), PASS or FAIL on the last line. A pure function of the
 * result.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { ServerStats } from '../../server/index.js';
import { FAULT_CLASSES } from '../verify/diagnose.js';
import type { FloodResult } from '../verdict/result.js';
import { DISCONNECT_MODES } from '../run/scenarios.js';
import type { LatencySummary } from '../run/floodCounters.js';
import { formatBytes, formatCount, formatMicros } from '../../units.js';

/** How many fault and error examples the text report lists (the JSON has them all). */
const SAMPLES_SHOWN = 5;

const STOPPED_EARLY = {
  stop: 'stopped early on request: no connection was opened after it, those running finished; the verdict covers what ran',
  abort: 'aborted on request: the connections still running were cut off; the verdict covers what ran',
} as const;

/** The transport, and how many threads ran on another one (a uring thread without its ring). */
function transportText(r: FloodResult): string {
  const asked = r.options.transport;
  const threads = Object.values(r.options.transportThreads).reduce((a, b) => a + b, 0);
  const others = Object.entries(r.options.transportThreads).filter(([name]) => name !== asked);
  if (others.length === 0) return asked;
  return `${asked} (${others.map(([name, n]) => `${n} of ${threads} thread(s) on ${name}`).join(', ')})`;
}

/** The final report as text: tables per section, PASS or FAIL on the last line. */
export function renderReport(r: FloodResult, opts: { color?: boolean } = {}): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out = [
    ...header(c, r),
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
  const at = hostPort(t.host, t.port);
  const where = t.embedded ? `embedded ${t.backend ?? ''} server on ${at}` : `${at}${t.backend ? ` (${t.backend})` : ''}`;
  const out = [
    c.bold(`iocp-bench flood -> ${where}`),
    `seed ${r.options.seed} | up to ${r.options.connections} at once | ${r.options.workers} client thread(s) | ` +
      `transport ${transportText(r)} | ${(r.elapsedMs / 1000).toFixed(2)} s`,
  ];
  out.push(...scaleOutLines(r));
  if (r.stoppedEarly) out.push(c.yellow(STOPPED_EARLY[r.stoppedEarly]));
  out.push('');
  return out;
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

/** How far a real start was from --start-at: `12 ms late`, `3.20 s late`, `on time`. */
export function startOffsetText(ms: number): string {
  const abs = Math.abs(ms);
  const amount = abs >= 1000 ? `${(abs / 1000).toFixed(2)} s` : `${abs} ms`;
  return ms === 0 ? 'on time' : `${amount} ${ms > 0 ? 'late' : 'early'}`;
}

function connectionsSection(c: ChalkInstance, r: FloodResult): string[] {
  const modes = table(c, ['mode', 'started', 'ok', 'fault', 'error']);
  for (const m of DISCONNECT_MODES) {
    const row = r.connections.byMode[m];
    if (row.started === 0) continue;
    modes.push([m, row.started, row.ok, row.fault ? c.red(row.fault) : 0, row.error ? c.yellow(row.error) : 0]);
  }
  modes.push([c.bold('all'), r.connections.started, r.connections.ok, r.connections.faulted, r.connections.errored]);
  const out = [c.bold('Connections'), modes.toString()];
  const asked = Math.min(r.options.connections, r.options.total ?? Infinity);
  const peak = r.connections.peakActive;
  if (peak < 0.9 * asked)
    out.push(c.yellow(`reached ${peak} at once of the ${asked} asked: connections ended (or failed) faster than they could be opened`));
  else out.push(`${peak} at once at the peak`);
  if (r.connections.aborted) out.push(`${r.connections.aborted} connection(s) were still running at the end and were aborted`);
  return out;
}

function trafficSection(c: ChalkInstance, r: FloodResult): string[] {
  const out = [
    '',
    c.bold('Traffic'),
    `messages ${formatCount(r.messages.verified)} verified of ${formatCount(r.messages.sent)} sent | ${formatCount(r.messages.perSec)} msg/s | ` +
      `${formatCount(r.connections.perSec)} conn/s | bytes out ${formatBytes(r.bytes.sent)}, in ${formatBytes(r.bytes.received)} | ${formatBytes(r.bytes.perSec)}/s`,
  ];
  const rate = (what: string, target: number | null, got: number | null, unit: string) => {
    const show = (n: number) => (n < 100 ? String(n) : formatCount(n)); // --rate 0.5 exists
    if (target !== null) out.push(`${what}: target ${show(target)} ${unit}, achieved ${show(got ?? 0)} ${unit}`);
  };
  rate('open loop', r.messages.targetPerSec, r.messages.achievedPerSec, 'msg/s');
  rate('connection rate', r.connections.targetPerSec, r.connections.achievedPerSec, 'conn/s');
  for (const w of r.warnings) out.push(c.yellow(`warning: ${w}`));
  out.push('');
  return out;
}

function latencySection(c: ChalkInstance, r: FloodResult): string[] {
  const lat = table(c, ['latency', 'count', 'p50', 'p90', 'p99', 'p99.9', 'max']);
  const latRow = (name: string, s: LatencySummary) =>
    lat.push([name, s.count, ...[s.p50, s.p90, s.p99, s.p999, s.max].map((v) => (s.count ? formatMicros(v) : '-'))]);
  latRow('connect', r.latencyUs.connect);
  const service = r.latencyUs.serviceTime;
  if (service === null) {
    latRow('round trip', r.latencyUs.roundTrip);
    return [c.bold('Latency'), lat.toString(), ''];
  }
  latRow('round trip (from schedule)', r.latencyUs.roundTrip);
  latRow('service time (from send)', service);
  return [
    c.bold('Latency'),
    lat.toString(),
    'open loop: a round trip counts from the time the schedule meant to send the frame, so a stalled server shows in it; ' +
      'service time counts from the call that sent it',
    '',
  ];
}

function faultsSection(c: ChalkInstance, r: FloodResult): string[] {
  if (r.faults.total === 0) return [`${c.bold('Faults')} none: every echoed byte verified`];
  const f = table(c, ['fault', 'connections']);
  for (const k of FAULT_CLASSES) if (r.faults[k]) f.push([c.red(k), r.faults[k]]);
  const samples = r.faultSamples.slice(0, SAMPLES_SHOWN).map((s) => `  connection ${s.connection} (${s.mode}): ${s.fault}: ${s.detail}`);
  return [c.bold('Faults'), f.toString(), ...samples];
}

function errorsSection(c: ChalkInstance, r: FloodResult): string[] {
  const e = r.errors;
  const total = e.total === 0 ? 'none' : `${e.total} (reset ${e.reset}, refused ${e.refused}, timeout ${e.timeout}, other ${e.other})`;
  const samples = r.errorSamples.slice(0, SAMPLES_SHOWN).map((s) => `  connection ${s.connection} (${s.mode}): ${s.message}`);
  return [`${c.bold('Network errors')} ${total}`, ...samples, ''];
}

function serverSection(c: ChalkInstance, r: FloodResult): string[] {
  const out = [c.bold('Server')];
  if (r.leak.before || r.leak.after) out.push(serverTable(c, r.leak.before, r.leak.after));
  const leakLine =
    r.leak.status === 'clean'
      ? c.green(`leak check clean (settled in ${r.leak.settleMs} ms): every session freed, nothing outstanding, no stale completion`)
      : r.leak.status === 'not-run'
        ? c.yellow(`leak check not run: ${r.leak.reasons.join('; ')}`)
        : c.red(`leak check ${r.leak.status === 'leak' ? 'FAILED' : 'error'}: ${r.leak.reasons.join('; ')}`);
  out.push(leakLine);
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

function table(c: ChalkInstance, head: string[]): Table.Table {
  return new Table({ head: head.map((h) => c.bold(h)), style: { head: [], border: [] } });
}


function serverTable(c: ChalkInstance, before: ServerStats | null, after: ServerStats | null): string {
  const t = table(c, ['server', 'live', 'peak', 'accepted', 'freed', 'rejected', 'outstanding', 'stale', 'bytes in', 'bytes out']);
  const row = (name: string, s: ServerStats) =>
    t.push([name, s.sessions.live, s.sessions.peak, s.sessions.accepted, s.sessions.freed, s.sessions.rejected, s.ops.outstanding, s.staleCompletions, formatBytes(s.bytes.in), formatBytes(s.bytes.out)]);
  if (before) row('before', before);
  if (after) row('after', after);
  return t.toString();
}
