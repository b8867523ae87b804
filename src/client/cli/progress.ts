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
  if (short) return 'stopping';
  const again = signal === 'SIGINT' ? 'Ctrl-C again' : `${signal} or Ctrl-C again`;
  return `stopping: no new connections, those running finish (${again} aborts them)`;
}

/** The bar's width in characters. */
export const BAR_SIZE = 10;

/**
 * The progress line's format: it fits 80 columns with counts up to 99.9k. A run by time shows
 * the time left (the bar and percentage show how far it is); one by count, connections done out
 * of the total. `flow` is the message rate, or, once a stop was asked for, what the flood is
 * doing (stopping, aborting).
 */
export function progressFormat(byTime: boolean): string {
  const where = byTime ? '{remaining}s left' : '{done}/{totalText}';
  return `{bar} {percentage}% ${where} | {active} open | {flow} | {faults} flt {errors} err`;
}

/**
 * Live progress on a terminal: listens to the flood's events and draws one bar. The caller decides
 * whether there is a terminal; this module only renders.
 */
export function attachProgress(run: FloodRun, stream: NodeJS.WriteStream, signal: () => NodeJS.Signals = () => 'SIGINT'): void {
  let bar: cliProgress.SingleBar | null = null;
  let byTime = false;
  const payload = (t: FloodTick) => ({
    remaining: Math.max(0, Math.ceil((t.durationMs - t.elapsedMs) / 1000)),
    done: formatCount(t.done),
    totalText: t.total === null ? '-' : formatCount(t.total),
    active: formatCount(t.active),
    flow: run.stopRequested ? stopNote(run.stopRequested, signal(), true) : `${formatCount(t.messagesPerSec)} msg/s`,
    faults: t.faults,
    errors: t.errors,
  });
  run.on('start', (info: FloodStartInfo) => {
    // A duration-bound run shows time; otherwise connections done out of the total.
    byTime = info.total === null;
    bar = new cliProgress.SingleBar(
      {
        stream,
        format: progressFormat(byTime),
        hideCursor: true,
        clearOnComplete: true,
        fps: 5,
        barsize: BAR_SIZE,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(byTime ? Math.max(1, info.durationMs) : Math.max(1, info.total!), 0, {
      remaining: Math.ceil(info.durationMs / 1000), done: '0', totalText: info.total === null ? '-' : formatCount(info.total), active: 0, flow: '0 msg/s', faults: 0, errors: 0,
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
