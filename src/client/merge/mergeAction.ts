/**
 * What `iocp-bench merge` does once its arguments are read: reads the shards' results, merges
 * them, runs the leak check (--stats) and the assertions once over the merged result, and prints
 * the report (the flood's own, after a table of the shards) or one JSON object, and with --report
 * the HTML report of the merged run (`-`: on stdout, in place of the text report). Exit 0 on PASS,
 * 1 on FAIL, 2 on unreadable input.
 */
import { checkNotRedirected, inputName, namesSameFile, parseLastJson, readInputText, stdinIsFile } from '../../inputFile.js';
import { Chalk } from 'chalk';
import { usageError, type UsageError } from '../../errors.js';
import { settleExitCode, type WithCliRun } from '../../cliRun.js';
import { FLOOD_DEFAULTS } from '../defaults.js';
import { evaluateAssertions, parseAssertions } from '../verdict/assertions.js';
import { checkTargetLeaks, statsFromUrl, type LeakVerdict, type StatsSource } from '../verdict/leakCheck.js';
import { DESCRIPTOR_RESETS, measure, type FloodResult } from '../verdict/result.js';
import { renderReport, useColor } from '../cli/report.js';
import { asFloodResult, didNotRun, type ResultReader } from '../../report/readResult.js';
import { formatSpan, startOffsetText } from '../../units.js';
import { mergeResults, runStart, type MergedResult, type ShardInput } from './mergeResults.js';
import type { ServerStats } from '../../server/index.js';

/** The flags as commander hands them over. */
export interface MergeFlags {
  json?: boolean;
  stats?: string;
  assert?: string;
  report?: string;
}

/**
 * Merges, checks and prints; resolves with the exit code, which goes to runCli() (flags.cliRun,
 * cliRun.ts); without it, the caller drives the command line itself and owns the process,
 * whose exitCode is set.
 */
export async function runMergeCommand(files: string[], flags: MergeFlags & WithCliRun): Promise<number> {
  const code = await mergeAndPrint(files, flags);
  settleExitCode(flags, code);
  return code;
}

async function mergeAndPrint(files: string[], flags: MergeFlags): Promise<number> {
  if (flags.stats !== undefined && !/^https?:\/\//.test(flags.stats)) throw usageError('--stats', 'not an http:// URL', flags.stats);
  const assertions = parseAssertions(flags.assert ?? '');
  // The HTML report (and uPlot) load only with --report; its path is checked before any work.
  const report = flags.report === undefined ? null : await import('../../report/write.js');
  const shardFile = flags.report === undefined ? undefined : files.find((f) => (f === '-' ? stdinIsFile(flags.report!) : namesSameFile(f, flags.report!)));
  if (shardFile !== undefined) throw usageError('--report', 'is one of the files being merged: the page would replace that shard\'s result', flags.report);
  if (flags.report !== undefined) checkNotRedirected('--report', flags.report, 'page');
  report?.checkReportPath('--report', flags.report!, !flags.json);
  const read = files.map(readShard);
  const shards = read.filter((r): r is ShardInput => !('didNotRun' in r));
  const notRun = read.filter((r): r is NotRun => 'didNotRun' in r);
  // A file of a flood that did not run (an ERROR result: an option it refused) fails the merge of
  // the others, which still come out; with nothing else there is nothing to merge.
  if (shards.length === 0) throw notRun[0]!.didNotRun;
  const merged = mergeResults(shards);
  merged.merge.problems.unshift(...notRun.map((r) => r.didNotRun.message.replace(/, nothing to merge$/, ': not merged')));
  if (flags.stats !== undefined) {
    const leak = await mergedLeak(statsFromUrl(flags.stats), merged);
    merged.leak = { status: leak.status, reasons: leak.reasons, leaks: leak.leaks, settleMs: leak.settleMs, before: null, after: leak.after };
    // The shards ran against a target whose backend they did not know: its stats say (the
    // target's own stats, that is: not those of another server).
    const judged = leak.status === 'clean' || leak.status === 'leak';
    if (merged.target.backend === null && judged && leak.after) merged.target = { ...merged.target, backend: leak.after.backend };
    if (judged && leak.after) {
      const [readAt, first] = [Date.now(), firstStart(shards)];
      for (const w of [mergedRejections(leak.after, readAt, first), mergedDescriptorResets(leak.after, readAt, first)]) if (w) merged.warnings.push(w);
    }
  }
  merged.assertions = evaluateAssertions(assertions, (m) => measure(merged, m));
  merged.reasons = verdictReasons(merged);
  merged.verdict = merged.reasons.length ? 'FAIL' : 'PASS';
  if (flags.report !== '-') process.stdout.write(flags.json ? `${JSON.stringify(merged)}\n` : renderMerge(merged, useColor(process.stdout)));
  const code = merged.verdict === 'PASS' ? 0 : 1;
  if (!report) return code;
  // The result is out already (unless the report goes to stdout in its place): a report that
  // cannot be written is one line and exit 1, as for the flood, not a second object.
  if (flags.report === '-') {
    report.writeReportFile(merged, '-');
    return code;
  }
  try {
    report.writeReportFile(merged, flags.report!);
    return code;
  } catch (err) {
    process.stderr.write(`iocp-bench: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

/**
 * The leak check over the merged run, refusing stats that are not the target's as the flood does
 * (foreignStatsReason): a server on this machine on another port is told at once, from a first
 * reading; one that has not seen the connections that reached the target (the shards' connected,
 * added; the server's counters since it started, as the shards read no `before`) once the settle
 * wait for them runs out.
 */
async function mergedLeak(stats: StatsSource, merged: MergedResult): Promise<LeakVerdict> {
  let first: LeakVerdict['after'];
  try {
    first = await stats();
  } catch (err) {
    return { status: 'error', reasons: [(err as Error).message], leaks: null, before: null, after: null, settleMs: 0 };
  }
  return (await checkTargetLeaks(stats, merged.target, first, null, FLOOD_DEFAULTS.settleTimeoutMs, merged.connections.connected)).leak;
}

/** When the first shard that opened a connection began (wall clock), or null when no shard tells. */
function firstStart(shards: ShardInput[]): number | null {
  const starts = shards.filter((s) => s.result.connections.started > 0).map((s) => runStart(s.result));
  return starts.length > 0 && starts.every((t) => t !== null) ? Math.min(...(starts as number[])) : null;
}

/**
 * Connections the server reset on arrival (sessions.rejected: its session or descriptor limit),
 * which the flood warns of from its own before-and-after readings. Merge has only a reading from
 * after the run, so it counts them since the server started, and says how long before the first
 * shard that was: a server left running across runs counts earlier runs' rejections too.
 */
export function mergedRejections(after: ServerStats, readAt: number, first: number | null): string | null {
  const n = after.sessions.rejected;
  if (n <= 0) return null;
  return `the server has rejected ${n} connection(s) at its session or descriptor limit since it started${sinceStart(after, readAt, first, 'rejections')}: reset on arrival, they count among the network errors`;
}

/** Sessions reset for want of a descriptor (extra.sendDescriptorResets), counted since the server started, as mergedRejections(). */
export function mergedDescriptorResets(after: ServerStats, readAt: number, first: number | null): string | null {
  const n = after.extra?.sendDescriptorResets ?? 0;
  if (n <= 0) return null;
  return `the server has reset ${n} session(s) ${DESCRIPTOR_RESETS} since it started${sinceStart(after, readAt, first, 'resets')}: they count among the network errors`;
}

/** How long before the first shard the server started, when a second or more: its counts since then include earlier runs'. */
function sinceStart(after: ServerStats, readAt: number, first: number | null, what: string): string {
  const started = readAt - after.uptimeMs;
  return first !== null && first - started >= 1000 ? `, ${formatSpan(first - started)} before the first shard began (${what} of anything it served before are among them)` : '';
}

/** How merge words a file that is not a flood result (report/readResult.ts checks it). */
const MERGE_READER: ResultReader = { verb: 'merge', code: 'E_USAGE' };

/** A file that holds the ERROR result of a flood that did not run: the error that says so. */
interface NotRun {
  file: string;
  didNotRun: UsageError;
}

/** One shard's result file (the last line holding a JSON object, so a log with lines before it works too). */
function readShard(file: string): ShardInput | NotRun {
  const text = readInputText(file);
  let value: unknown;
  try {
    value = parseLastJson(text);
  } catch {
    throw usageError('merge', `${inputName(file)} holds no JSON result (the output of flood --json)`);
  }
  const notRun = didNotRun(value, inputName(file), MERGE_READER);
  if (notRun) return { file, didNotRun: notRun };
  const r = value as Partial<FloodResult> | null;
  if ((r?.verdict === 'PASS' || r?.verdict === 'FAIL') && r.connections && (!r.histograms || !Array.isArray(r.samples)))
    throw usageError('merge', `${inputName(file)} has no latency histograms or samples: a flood older than merge`);
  return { file, result: asFloodResult(value, inputName(file), MERGE_READER) };
}

/** Why the merged run fails: the set itself, a shard's own failure, the leak check, the assertions. */
function verdictReasons(m: MergedResult): string[] {
  const reasons = [...m.merge.problems];
  for (const s of m.merge.shards) {
    if (s.verdict !== 'PASS') reasons.push(`shard ${s.index ?? '?'}/${s.count ?? '?'} (${s.file}) failed: ${s.reasons.join('; ') || s.verdict}`);
  }
  if (m.leak.status === 'leak') reasons.push(`leak: ${m.leak.reasons.join('; ')}`);
  if (m.leak.status === 'error') reasons.push(`leak check failed: ${m.leak.reasons.join('; ')}`);
  for (const a of m.assertions) if (!a.ok) reasons.push(`assertion failed: ${a.expr} (actual ${a.shown})`);
  return reasons;
}

/** The shards in a few lines, then the flood's report of the merged result. */
function renderMerge(m: MergedResult, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const lines = [c.bold(`iocp-bench merge: ${m.merge.shards.length} result(s)`)];
  for (const s of m.merge.shards) {
    const start = s.startOffsetMs === null ? '' : `, started ${startOffsetText(s.startOffsetMs)}`;
    lines.push(`  shard ${s.index ?? '-'}/${s.count ?? '-'}  ${s.verdict === 'PASS' ? c.green('PASS') : c.red(s.verdict)}  ${s.file}${start}`);
  }
  for (const p of m.merge.problems) lines.push(c.red(`  ${p}`));
  lines.push('');
  return `${lines.join('\n')}\n${renderReport(m, { color })}`;
}
