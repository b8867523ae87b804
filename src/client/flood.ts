/**
 * runFlood(), the flood's public API: resolves the options, starts the embedded server when there
 * is no target, runs the client threads and builds the result with the leak verdict. It emits
 * `start`, `tick`, `sample` and `done` and prints nothing; renderers (cli/) listen.
 */
import { EventEmitter } from 'node:events';
import type { ServerHandle, ServerOptions, ServerStats } from '../server/index.js';
import { checkLeaks, checkTargetLeaks, foreignStatsReason, statsFromUrl, type StatsSource } from './verdict/leakCheck.js';
import { resolveFloodOptions, type FloodOptions, type ResolvedFloodOptions } from './options.js';
import { buildResult, type FloodResult } from './verdict/result.js';
import { C } from './run/floodCounters.js';
import { prepareThreads, type ThreadRun } from './run/threads.js';
import { connectRefused, ServerGoneWatch, type ServerGone } from './verdict/serverGone.js';
import { IntervalCollector } from './run/intervals.js';
import { serverSample, StatsPoller } from './verdict/serverSamples.js';
import type { IntervalHistograms, IntervalSample } from './verdict/samples.js';
import { UNLIMITED } from '../units.js';
import { waitUntil } from './startAt.js';
import { checkSourcesLocal } from './sourceAddresses.js';

/** How long the run's end waits for a target's last counters (its last sample's), ms. */
const LAST_READING_MS = 1000;

export type { FloodOptions, ResolvedFloodOptions } from './options.js';
export type { FloodResult } from './verdict/result.js';
export type { IntervalSample, IntervalLatency } from './verdict/samples.js';

/** Emitted once the target is known and the threads are about to start. */
export interface FloodStartInfo {
  host: string;
  port: number;
  embedded: boolean;
  backend: string | null;
  /** The server's --lifetime, from its stats before the run (null without stats). */
  lifetime: string | null;
  /** Connections to run, or null for a duration-bound run. */
  total: number | null;
  durationMs: number;
  connections: number;
  workers: number;
  seed: number;
  /** The transport asked for (or picked by `auto`). */
  transport: ResolvedFloodOptions['transport'];
  stages: ResolvedFloodOptions['stages'];
  rate: number;
  msgRate: number;
  msgStages: ResolvedFloodOptions['msgStages'];
  statsBefore: ServerStats | null;
}

/** Emitted about four times a second while connections run. */
export interface FloodTick {
  elapsedMs: number;
  started: number;
  /** Connections ended, whatever the outcome. */
  done: number;
  active: number;
  total: number | null;
  durationMs: number;
  messages: number;
  messagesPerSec: number;
  faults: number;
  errors: number;
}

/** --start-at: emitted once set up, before waiting (inMs <= 0: the time has passed, starting now). */
export interface FloodWait {
  at: number;
  inMs: number;
}

export interface FloodEvents {
  start: [FloodStartInfo];
  wait: [FloodWait];
  tick: [FloodTick];
  /** One per --interval (intervalMs), the last (shorter) one at the end; result.samples holds them all. */
  sample: [IntervalSample];
  done: [FloodResult];
}

/**
 * A running flood. Listen for `start`, `tick`, `sample` and `done`, or just await `result`. Network failures
 * are counted in the result, never thrown; `result` rejects only when the flood cannot run at all
 * (the embedded server fails to start, the stats endpoint is unreachable before the start).
 */
export class FloodRun extends EventEmitter<FloodEvents> {
  readonly options: ResolvedFloodOptions;
  readonly result: Promise<FloodResult>;
  private threads: ThreadRun | null = null;
  private stopped: 'stop' | 'abort' | null = null;
  private cancelWait: (() => void) | null = null;

  constructor(options: ResolvedFloodOptions, raw: FloodOptions) {
    super();
    this.options = options;
    this.result = this.run(raw);
    // Callers that only listen to events must not get an unhandled rejection on top.
    this.result.catch(() => undefined);
  }

  /** What stop() or abort() has asked for so far (null: neither). */
  get stopRequested(): 'stop' | 'abort' | null {
    return this.stopped;
  }

  /** Open no more connections; those running finish (the result follows as usual). */
  stop(): void {
    this.stopped ??= 'stop';
    this.threads?.stop();
    this.cancelWait?.();
  }

  /** End running connections now too; they are counted as aborted. */
  abort(): void {
    this.stopped = 'abort';
    this.threads?.abort();
    this.cancelWait?.();
  }

  private async run(raw: FloodOptions): Promise<FloodResult> {
    await Promise.resolve(); // let the caller attach listeners first
    if (this.options.sources.length > 0) await checkSourcesLocal(this.options.sources);
    const server = this.options.embedded ? await startEmbedded(this.options.server) : null;
    try {
      if (server) return await this.flood(server.address, async () => server.stats(), server.backend, () => server.stats());
      return await this.flood(this.options, statsSource(raw.stats), null, null);
    } finally {
      if (server) await server.close();
    }
  }

  /** --start-at: wait for it (stop() or abort() ends the wait; the threads then start with nothing to do). */
  private async waitForStart(): Promise<void> {
    const at = this.options.startAt;
    // Stopped during the set-up: no wait, and none announced.
    if (at === null || this.stopped) return;
    this.emit('wait', { at, inMs: at - Date.now() });
    const wait = waitUntil(at);
    this.cancelWait = wait.cancel;
    await wait.done;
    this.cancelWait = null;
  }

  /** Counters before, the client threads, counters after: the result. */
  private async flood(
    { host, port }: { host: string; port: number },
    stats: StatsSource | null,
    serverBackend: string | null,
    /** The embedded server's counters, read directly (shortly before each boundary, and at the end). */
    statsNow: (() => ServerStats) | null,
  ): Promise<FloodResult> {
    const o = this.options;
    const before = stats ? await stats() : null;
    // Stats of a server on another port name that server's backend and lifetime, not the target's.
    const ownBefore = before !== null && (serverBackend !== null || foreignStatsReason({ host, port }, before, null, 0) === null) ? before : null;
    const backend = serverBackend ?? ownBefore?.backend ?? null;
    const total = o.total >= UNLIMITED ? null : o.total;
    const lifetime = ownBefore?.lifetime ?? null;
    this.emit('start', { host, port, embedded: o.embedded, backend, lifetime, total, durationMs: o.durationMs, connections: o.connections, workers: o.workers, seed: o.seed,
      transport: o.transport, stages: o.stages, rate: o.rate, msgRate: o.msgRate, msgStages: o.msgStages, statsBefore: before });
    let t0 = performance.now();
    const watch = new ServerGoneWatch(o.timeoutMs);
    let gone: ServerGone | null = null;
    let collector: IntervalCollector | null = null;
    const threads = await prepareThreads({ ...o, host, port }, o.workers, () => {
      const live = threads.live();
      const now = performance.now() - t0;
      // A server that went away ends the run: the connections still running are cut off.
      if (gone === null && (gone = watch.observe(live, now)) !== null) threads.abort();
      this.emit('tick', tickOf(live, now, total, o.durationMs));
    }, { intervalMs: o.intervalMs, onPart: (thread, b, part, final) => collector?.add(thread, b, part, final) });
    this.threads = threads;
    if (this.stopped === 'stop') threads.stop();
    if (this.stopped === 'abort') threads.abort();
    await this.waitForStart();
    // The clock starts once the threads are loaded and ready: it measures the flood. A run stopped
    // while it waited for --start-at never started: its result has no start to compare.
    t0 = performance.now();
    const realStart = this.stopped === null ? Date.now() : null;
    // The server's counters are read shortly before each boundary, an embedded server's as a
    // target's: read when the threads' parts arrive, after the boundary, they showed the server
    // already done with connections that the parts, taken at it, still counted as open (at the
    // end of a --duration, which falls on a boundary). The last sample holds an embedded server's
    // counters read at the run's end (a target's, the latest reading).
    const source: StatsSource | null = statsNow !== null ? async () => statsNow() : stats;
    const poller = source !== null ? new StatsPoller(source, o.intervalMs, t0) : null;
    const serverNow = (last: boolean) => (last && statsNow !== null ? serverSample(statsNow()) : poller ? poller.latest() : null);
    const samples: IntervalSample[] = [];
    // A shard keeps each interval's histograms, which `merge` adds exactly across the shards.
    const intervalHistograms: IntervalHistograms[] | null = o.shard ? [] : null;
    collector = new IntervalCollector(threads.threads, o.intervalMs, performance.timeOrigin + t0, (sample, histograms) => {
      samples.push(sample);
      if (histograms) intervalHistograms?.push(histograms);
      this.emit('sample', sample);
    }, serverNow, intervalHistograms !== null);
    threads.start(performance.timeOrigin + t0);
    const merged = await threads.done.finally(() => poller?.stop());
    const elapsed = performance.now() - t0;
    // A target's counters at the run's end for the last sample, as an embedded server's are.
    if (poller !== null && statsNow === null) await poller.readLast(LAST_READING_MS);
    collector.finish(elapsed);
    const stoppedEarly = this.stopped;
    // A server that died too close to the end for the watch: one more connect tells.
    if (gone === null) gone = await watch.atEnd(merged.counters, elapsed, () => connectRefused(host, port));
    this.emit('tick', tickOf(merged.counters, elapsed, total, o.durationMs));
    // Nothing to settle on a server that is gone, and its stats went with it.
    // Another server's stats (a wrong --stats URL) would judge a server that saw none of this:
    // a server on this machine on another port is told at once, one that saw too few connections
    // once the wait for it runs out.
    const reached = merged.counters[C.connected]!;
    const { leak, foreign } = gone
      ? { leak: { status: 'not-run' as const, reasons: ['the server went away'], leaks: null, before, after: null, settleMs: 0 }, foreign: false }
      : serverBackend !== null
        ? { leak: await checkLeaks(stats, before, o.settleTimeoutMs, 0), foreign: false }
        : await checkTargetLeaks(stats, { host, port }, before, before, o.settleTimeoutMs, reached);
    // Counters judged another server's name nothing of the target.
    const target = !foreign
      ? { host, port, backend, lifetime: lifetime ?? leak.after?.lifetime ?? null }
      : { host, port, backend: serverBackend, lifetime: null };
    // Nothing connected and nothing failed: only modes that never wait for their connect
    // (connect-abort) ran, and they complete whether anything listens or not. One connect tells.
    const ended = merged.counters;
    const unreachable = gone === null && !o.embedded && ended[C.started]! > 0 && ended[C.connected]! === 0 && ended[C.errored]! === 0
      ? await connectRefused(host, port)
      : false;
    const result = buildResult(o, target, merged, elapsed, leak, stoppedEarly, gone, samples, realStart, intervalHistograms, unreachable);
    this.emit('done', result);
    return result;
  }
}

/** The leak check's source with a target: a /stats URL, a caller's function, or none. */
function statsSource(stats: FloodOptions['stats']): StatsSource | null {
  if (typeof stats === 'string') return statsFromUrl(stats);
  if (typeof stats === 'function') return async () => stats();
  return null;
}

function tickOf(c: Float64Array, elapsedMs: number, total: number | null, durationMs: number): FloodTick {
  return {
    elapsedMs: Math.round(elapsedMs),
    started: c[C.started]!,
    done: c[C.ok]! + c[C.faulted]! + c[C.errored]! + c[C.aborted]!,
    active: c[C.active]!,
    total,
    durationMs,
    messages: c[C.messagesVerified]!,
    messagesPerSec: Math.round(c[C.messagesVerified]! / Math.max(elapsedMs / 1000, 0.001)),
    faults: c[C.faulted]!,
    errors: c[C.errored]!,
  };
}

/** The embedded server: loaded lazily, so the flood works against any target without it. */
async function startEmbedded(opts: Partial<ServerOptions> | undefined): Promise<ServerHandle> {
  const { startServer } = await import('../server/index.js');
  return startServer({ host: '127.0.0.1', port: 0, ...opts });
}

/**
 * Starts a flood. Options are validated at once (a bad one throws UsageError here); the flood
 * itself starts on the next tick, so listeners attached right after this call see every event.
 */
export function runFlood(options: FloodOptions = {}): FloodRun {
  return new FloodRun(resolveFloodOptions(options), options);
}
