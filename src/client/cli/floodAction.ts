/**
 * What `iocp-bench flood` does once its flags are read: runFlood(), the progress bar, Ctrl-C and
 * SIGTERM, and the report or JSON. Loaded only when the command runs (floodCommand.ts defines
 * the flags).
 */
import { errorJsonLine, usageError } from '../../errors.js';
import { signalCounter } from '../../signals.js';
import { settleExitCode, type WithCliRun } from '../../cliRun.js';
import { runFlood, type FloodRun } from '../flood.js';
import { resolveFloodOptions } from '../options.js';
import { floodSampleColumns } from '../run/intervals.js';
import { openSampleOut } from '../../sampleOut.js';
import { floodOptionsFromFlags, type FloodFlags } from './floodFlags.js';
import { tuneCompilerForFlood } from './compilerTuning.js';
import { attachProgress, stopNote } from './progress.js';
import { renderReport, renderStartHeader, useColor } from './report.js';

/** The flags, and from runCli() its share of the call (cliRun.ts): where the exit code goes. */
type Flags = FloodFlags & WithCliRun;

/**
 * Runs the flood, renders it, and resolves with the exit code: 0 on PASS, 1 on FAIL. It goes to
 * runCli() (flags.cliRun); without it, the caller drives the command line itself and owns the
 * process, whose exitCode is set. With --json, an error (a bad flag, an embedded server that
 * cannot start, unreadable stats) still prints one object,
 * `{"verdict":"ERROR","reasons":[...],"error":{"code":...}}`, beside its line on stderr.
 */
export async function runFloodCommand(target: string | undefined, flags: Flags): Promise<number> {
  try {
    const code = await runAndRender(target, flags);
    settleExitCode(flags, code);
    return code;
  } catch (err) {
    if (flags.json) process.stdout.write(errorJsonLine(err));
    throw err;
  }
}

async function runAndRender(target: string | undefined, flags: FloodFlags): Promise<number> {
  const options = floodOptionsFromFlags(target, flags);
  if (flags.out === '-' && flags.json) throw usageError('--out', 'not - with --json: both would write to stdout', flags.out);
  // Every option is checked before --out is, and --out (checked, not touched) before the run.
  resolveFloodOptions(options);
  // The HTML report (and uPlot) load only with --report; its path is checked before the run.
  const report = flags.report === undefined ? null : await import('../../report/write.js');
  report?.checkReportPath('--report', flags.report!, false);
  const out = flags.out === undefined ? null : openSampleOut('--out', flags.out, floodSampleColumns());
  tuneCompilerForFlood();
  let code = 1;
  try {
    const run = runFlood(options);
    // --out is created (truncated) once the run starts, before its header is printed: a flood that
    // fails before (an embedded server that cannot start, unreadable stats) leaves the file as it was.
    if (out) run.on('start', () => out.start()).on('sample', (s) => out.write(s));
    const bar = flags.progress && process.stderr.isTTY === true;
    const signals = stopOnSignals(run, bar);
    run.on('wait', ({ at, inMs }) => {
      const when = new Date(at).toISOString();
      process.stderr.write(
        inMs > 0
          ? `flood: set up; waiting until ${when} (${(inMs / 1000).toFixed(1)} s) to start\n`
          : `flood: --start-at ${when} passed ${(-inMs / 1000).toFixed(1)} s ago; starting now\n`,
      );
    });
    // With the samples on stdout, the report goes to stderr.
    const stream = out?.toStdout ? process.stderr : process.stdout;
    const color = useColor(stream);
    // The header goes out as soon as the target is known (before the progress bar starts below it).
    if (!flags.json) run.on('start', (info) => stream.write(renderStartHeader(info, { color })));
    if (bar) attachProgress(run, process.stderr, signals.last);
    try {
      const result = await run.result;
      stream.write(flags.json ? `${JSON.stringify(result)}\n` : renderReport(result, { color, header: false }));
      code = result.verdict === 'PASS' ? 0 : 1;
      if (report) {
        // The result is out already: a report that cannot be written is one line and exit 1.
        try {
          report.writeReportFile(result, flags.report!);
          process.stderr.write(`flood: HTML report written to ${flags.report}\n`);
        } catch (err) {
          process.stderr.write(`iocp-bench: ${err instanceof Error ? err.message : String(err)}\n`);
          code = 1;
        }
      }
    } finally {
      signals.dispose();
    }
    const lost = out?.lost() ?? null;
    if (lost !== null) {
      process.stderr.write(`iocp-bench: ${lost}\n`);
      code = 1;
    }
    return code;
  } finally {
    out?.close();
  }
}

/**
 * First Ctrl-C (or SIGTERM, as from `timeout`): open no more connections and report; second (not
 * the same signal repeated within REPEAT_WINDOW_MS, signals.ts): abort the running ones too. The progress bar says so; without it (`bar` false), one line on
 * stderr does. `last` is the signal that came last; dispose() stops listening.
 */
function stopOnSignals(run: FloodRun, bar: boolean): { last: () => NodeJS.Signals; dispose: () => void } {
  let interrupts = 0;
  let last: NodeJS.Signals = 'SIGINT';
  const counts = signalCounter();
  const onSignal = (signal: NodeJS.Signals) => {
    if (!counts(signal)) return; // the same signal delivered twice (timeout(1) does): one request
    last = signal;
    const kind = ++interrupts === 1 ? 'stop' : 'abort';
    if (kind === 'stop') run.stop();
    else run.abort();
    if (!bar) process.stderr.write(`flood: ${stopNote(kind, signal)}\n`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    last: () => last,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
