/**
 * What `iocp-bench flood` does once its flags are read: runFlood(), the progress bar, Ctrl-C and
 * SIGTERM, and the report or JSON. Loaded only when the command runs (floodCommand.ts defines
 * the flags).
 */
// Loaded at once: what the signal listeners need (stopNote's progress.js) and modules the command
// line has loaded already. The rest, the flood engine above all (most of the start-up), loads in
// runAndRender(), once they listen.
import { errorJsonLine, usageError } from '../../errors.js';
import { signalCounter } from '../../signals.js';
import { settleExitCode, type WithCliRun } from '../../cliRun.js';
import { openSampleOut } from '../../sampleOut.js';
import { checkNotRedirected, namesSameFile } from '../../inputFile.js';
import type { FloodRun } from '../flood.js';
import type { FloodFlags } from './floodFlags.js';
import { tuneCompilerForFlood } from './compilerTuning.js';
import { attachProgress, stopNote } from './progress.js';

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
  // Listening for the stop signals before anything else (as `server` does): one that arrives while
  // the flood loads or checks its options is kept and applied to the run as soon as it exists, so
  // that the flood still ends with its result. The listeners go when the command ends, however.
  const signals = stopOnSignals(flags.progress && process.stderr.isTTY === true);
  try {
    const code = await runAndRender(target, flags, signals);
    settleExitCode(flags, code);
    return code;
  } catch (err) {
    if (flags.json) process.stdout.write(errorJsonLine(err));
    throw err;
  } finally {
    // The bin's process ends with the command: a signal in its last moments (`timeout` sends one
    // as a flood of the same length ends) must not turn the result into death by that signal, so
    // from here one ends the process with the code it has (runCli sets it before the next task).
    if (flags.cliRun?.ownsProcess) signals.endProcess();
    else signals.dispose();
  }
}

async function runAndRender(target: string | undefined, flags: FloodFlags, signals: StopSignals): Promise<number> {
  const [{ runFlood }, { resolveFloodOptions }, { floodSampleColumns }, { floodOptionsFromFlags }, { renderReport, renderStartHeader, useColor }] = await Promise.all([
    import('../flood.js'),
    import('../options.js'),
    import('../run/intervals.js'),
    import('./floodFlags.js'),
    import('./report.js'),
  ]);
  const options = floodOptionsFromFlags(target, flags);
  if (flags.out === '-' && flags.json) throw usageError('--out', 'not - with --json: both would write to stdout', flags.out);
  // Every option is checked before --out is, and --out (checked, not touched) before the run.
  resolveFloodOptions(options);
  // The HTML report (and uPlot) load only with --report; its path is checked before the run.
  const report = flags.report === undefined ? null : await import('../../report/write.js');
  report?.checkReportPath('--report', flags.report!, false);
  if (flags.out !== undefined && flags.report !== undefined && namesSameFile(flags.out, flags.report)) {
    throw usageError('--report', 'is the --out file too: the page would replace the samples', flags.report);
  }
  if (flags.report !== undefined) checkNotRedirected('--report', flags.report, 'page');
  const out = flags.out === undefined ? null : openSampleOut('--out', flags.out, floodSampleColumns());
  tuneCompilerForFlood();
  let code = 1;
  try {
    const run = runFlood(options);
    // --out is created (truncated) once the run starts, before its header is printed: a flood that
    // fails before (an embedded server that cannot start, unreadable stats) leaves the file as it was.
    if (out) run.on('start', () => out.start()).on('sample', (s) => out.write(s));
    // A stop (or abort) asked for before the run existed applies now, before it starts.
    signals.attach(run);
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
    if (signals.bar) attachProgress(run, process.stderr, signals.last);
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
    // On stdout (--out -) a write that failed (its reader gone) says so after the write: the last sample's included.
    await out?.settled();
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

/** The stop signals' listeners, from the command's start to its end (stopOnSignals). */
interface StopSignals {
  /** The progress bar (a terminal, --progress) says what a signal did; without it, a line on stderr. */
  readonly bar: boolean;
  /** The run a stop or abort goes to; one asked for before it existed applies at once. */
  attach(run: FloodRun): void;
  /** The signal that came last (SIGINT before any). */
  last(): NodeJS.Signals;
  /** Stops listening. */
  dispose(): void;
  /** From now on a signal ends the process (with process.exitCode) instead of stopping a run. */
  endProcess(): void;
}

/**
 * First Ctrl-C (or SIGTERM, as from `timeout`): open no more connections and report; second (not
 * the same signal repeated within REPEAT_WINDOW_MS, signals.ts): abort the running ones too. The
 * progress bar says so; without it (`bar` false), one line on stderr does, at once, also for a
 * signal that comes before the run exists: the request is kept until attach() gives the run.
 */
function stopOnSignals(bar: boolean): StopSignals {
  let interrupts = 0;
  let last: NodeJS.Signals = 'SIGINT';
  let requested: 'stop' | 'abort' | null = null;
  let run: FloodRun | null = null;
  const apply = () => {
    if (requested === 'stop') run?.stop();
    else if (requested === 'abort') run?.abort();
  };
  const counts = signalCounter();
  const onSignal = (signal: NodeJS.Signals) => {
    if (!counts(signal)) return; // the same signal delivered twice (timeout(1) does): one request
    last = signal;
    requested = ++interrupts === 1 ? 'stop' : 'abort';
    apply();
    if (!bar) process.stderr.write(`flood: ${stopNote(requested, signal)}\n`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    bar,
    attach: (r) => {
      run = r;
      apply();
    },
    last: () => last,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
    // The new listeners come before the old ones go: with none at all for a moment, Node would
    // give the signal back its default action, death.
    endProcess: () => {
      const end = () => process.exit();
      process.on('SIGINT', end).on('SIGTERM', end).off('SIGINT', onSignal).off('SIGTERM', onSignal);
    },
  };
}
