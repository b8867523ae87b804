/**
 * The live progress bar on stderr: listens to a FloodRun's events and renders them, and says
 * what a Ctrl-C did. It never drives the flood.
 */
import cliProgress from 'cli-progress';
import type { FloodRun, FloodStartInfo, FloodTick } from '../flood.js';
import { formatCount } from '../../units.js';

/**
 * What the flood says once a stop was asked for (the CLI's first Ctrl-C or SIGTERM, then the
 * second): the line printed without a bar, or, `short`, the bar's note. `signal` is the one
 * that asked.
 */
export function stopNote(kind: 'stop' | 'abort', signal: NodeJS.Signals, short = false): string {
  if (kind === 'abort') return short ? 'aborting' : 'aborting the connections still running';
  const again = signal === 'SIGINT' ? 'Ctrl-C again' : `${signal} or Ctrl-C again`;
  return short ? `stopping: ${again} aborts` : `stopping: no new connections, those running finish (${again} aborts them)`;
}

/**
 * Live progress on a terminal: listens to the flood's events and draws one bar. The caller decides
 * whether there is a terminal; this module only renders.
 */
export function attachProgress(run: FloodRun, stream: NodeJS.WriteStream, signal: () => NodeJS.Signals = () => 'SIGINT'): void {
  let bar: cliProgress.SingleBar | null = null;
  let byTime = false;
  const payload = (t: FloodTick) => ({
    done: t.done,
    totalText: t.total === null ? '-' : formatCount(t.total),
    active: t.active,
    mps: formatCount(t.messagesPerSec),
    faults: t.faults,
    errors: t.errors,
    note: run.stopRequested ? ` | ${stopNote(run.stopRequested, signal(), true)}` : '',
  });
  run.on('start', (info: FloodStartInfo) => {
    // A duration-bound run shows time; otherwise connections done out of the total.
    byTime = info.total === null;
    bar = new cliProgress.SingleBar(
      {
        stream,
        format: `flood {bar} {percentage}% | {done}/{totalText} conns | active {active} | {mps} msg/s | faults {faults} | errors {errors}{note}`,
        hideCursor: true,
        clearOnComplete: true,
        fps: 5,
        barsize: 24,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(byTime ? Math.max(1, info.durationMs) : Math.max(1, info.total!), 0, {
      done: 0, totalText: info.total === null ? '-' : formatCount(info.total), active: 0, mps: '0', faults: 0, errors: 0, note: '',
    });
  });
  run.on('tick', (t: FloodTick) => {
    bar?.update(byTime ? Math.min(t.elapsedMs, t.durationMs) : t.done, payload(t));
  });
  const stop = () => {
    bar?.stop();
    bar = null;
  };
  run.on('done', stop);
  run.result.catch(stop);
}
