/**
 * Spreads the flood over client threads (or runs it on the calling thread with 0 workers): shares
 * of connections and rate, one shared index counter, stop/abort through a shared control word,
 * and the merge of their counters, histograms and samples.
 */
import { Worker } from 'node:worker_threads';
import type { Histogram } from 'hdr-histogram-js';
import { ClientEngine, CONTROL_ABORT, CONTROL_STOP, type EngineReport, type EngineShare, type ErrorSample, type FaultSample, type IntervalPart } from './clientEngine.js';
import { intervalClock } from './intervals.js';
import type { EngineConfig } from '../options.js';
import { addCounters, mergeEncoded, newCounters, newHistogram } from './floodCounters.js';
import type { TransportName } from '../transport/transport.js';
import { workerEntry } from '../../workerEntry.js';
import { UNLIMITED } from '../../units.js';
import { shardId, type Shard } from '../shard.js';
import { RateHandOn } from './rateSchedule.js';

const TICK_MS = 250;

/**
 * Hands out connection ids across threads through one shared atomic counter: the counter runs
 * 0..total-1 (total: this process's connections), each value mapped to the plan's connection id
 * (itself without a shard; the shard's segment of ids with one, shardId()).
 */
export function claimer(next: SharedArrayBuffer, total: number, shard: Shard | null = null): () => number {
  const slot = new Int32Array(next);
  return () => {
    // Compare first so the counter cannot wrap however long a duration run claims.
    if (Atomics.load(slot, 0) >= total) return -1;
    const i = Atomics.add(slot, 0, 1);
    return i < total ? shardId(i, shard) : -1;
  };
}

export interface MergedReport {
  /** Client threads per transport they ran on. */
  transports: Partial<Record<TransportName, number>>;
  counters: Float64Array;
  rtt: Histogram;
  serviceTime: Histogram;
  connect: Histogram;
  /** The latest end of a thread's paced window (EngineReport): the achieved rates are counted over these. */
  connectWindowMs: number;
  messageWindowMs: number;
  faultSamples: FaultSample[];
  errorSamples: ErrorSample[];
}

/** Where the threads' interval parts go: thread `thread`'s part at boundary `b` (intervals.ts). */
export interface IntervalSink {
  intervalMs: number;
  onPart(thread: number, b: number, part: IntervalPart, final: boolean): void;
}

export interface ThreadRun {
  /** Client threads the flood runs on (1 with 0 workers): the interval parts come from each. */
  readonly threads: number;
  /** Latest counters summed over threads (refreshed every tick). */
  live(): Float64Array;
  /**
   * Starts the flood on the prepared threads: connections open from here on. `epochMs` (ms since
   * the Unix epoch, performance.timeOrigin + performance.now()) is the flood's start, from which
   * every thread counts its interval boundaries.
   */
  start(epochMs: number): void;
  stop(): void;
  abort(): void;
  done: Promise<MergedReport>;
}

/**
 * The per-thread slices of `total` concurrency, connection rate and message rate. An open loop on
 * several threads also gets the memory through which a thread out of connections hands its slice
 * of the message rate on to the others (EngineShare.handOn).
 */
export function shares(connections: number, rate: number, threads: number, msgRate = 0): EngineShare[] {
  const n = Math.max(1, Math.min(threads, connections));
  const handOn = msgRate > 0 && n > 1 ? RateHandOn.memory(n) : null;
  return Array.from({ length: n }, (_, i) => ({
    maxActive: Math.floor(connections / n) + (i < connections % n ? 1 : 0),
    rate: rate / n,
    msgRate: msgRate / n,
    index: i,
    of: n,
    ...(handOn ? { handOn } : {}),
  }));
}

function merge(reports: EngineReport[]): MergedReport {
  const out: MergedReport = {
    transports: {},
    counters: newCounters(),
    rtt: newHistogram(),
    serviceTime: newHistogram(),
    connect: newHistogram(),
    connectWindowMs: 0,
    messageWindowMs: 0,
    faultSamples: [],
    errorSamples: [],
  };
  for (const r of reports) {
    out.transports[r.transport] = (out.transports[r.transport] ?? 0) + 1;
    addCounters(out.counters, r.counters);
    mergeEncoded(out.rtt, r.rtt);
    mergeEncoded(out.serviceTime, r.serviceTime);
    out.connectWindowMs = Math.max(out.connectWindowMs, r.connectWindowMs);
    out.messageWindowMs = Math.max(out.messageWindowMs, r.messageWindowMs);
    mergeEncoded(out.connect, r.connect);
    out.faultSamples.push(...r.faultSamples);
    out.errorSamples.push(...r.errorSamples);
  }
  out.faultSamples.sort((a, b) => a.connection - b.connection);
  out.errorSamples.sort((a, b) => a.connection - b.connection);
  return out;
}

/**
 * Prepares the flood on `workers` client threads (0 = on this thread): resolves once every thread
 * is loaded and has built its engine, so that start() begins the flood itself, not the threads'
 * start-up. The merged result comes in `done`.
 */
export async function prepareThreads(cfg: EngineConfig, workers: number, onTick: () => void, intervals: IntervalSink): Promise<ThreadRun> {
  // Connection indices are claimed through an Int32: a larger total runs without limit.
  const config: EngineConfig = { ...cfg, total: Math.min(cfg.total, UNLIMITED) };
  const next = new SharedArrayBuffer(4);
  return workers === 0 ? onThisThread(config, next, onTick, intervals) : await onClientThreads(config, next, workers, onTick, intervals);
}

/** `--workers 0`: one engine on the calling thread, ticked by a timer. */
function onThisThread(config: EngineConfig, next: SharedArrayBuffer, onTick: () => void, intervals: IntervalSink): ThreadRun {
  const engine = new ClientEngine(config, shares(config.connections, config.rate, 1, config.msgRate)[0]!, claimer(next, config.total, config.shard));
  let begin: (epochMs: number) => void = () => undefined;
  const started = new Promise<number>((resolve) => (begin = resolve));
  const done = started.then((epochMs) => {
    const timer = setInterval(onTick, TICK_MS);
    const clock = intervalClock(engine, epochMs, intervals.intervalMs, (b, part, final) => intervals.onPart(0, b, part, final));
    return engine.run().then(() => {
      clearInterval(timer);
      clock.finish();
      return merge([engine.report()]);
    });
  });
  return { threads: 1, live: () => engine.counters, start: (epochMs) => begin(epochMs), stop: () => engine.stop(), abort: () => engine.abort(), done };
}

/** One engine per client thread; resolves once every thread is ready (or throws if one fails first). */
async function onClientThreads(
  config: EngineConfig,
  next: SharedArrayBuffer,
  workers: number,
  onTick: () => void,
  intervals: IntervalSink,
): Promise<ThreadRun> {
  const parts = shares(config.connections, config.rate, workers, config.msgRate);
  const latest = parts.map(() => newCounters());
  const control = new SharedArrayBuffer(4);
  const url = workerEntry(import.meta.url, 'client/run/floodWorker.js');
  const started = parts.map((share, i) =>
    startClientThread(
      url,
      i,
      { config, share, next, control, tickMs: TICK_MS, intervalMs: intervals.intervalMs },
      (counters, tick) => {
        latest[i] = counters;
        // The first thread's ticks pace the caller's.
        if (tick && i === 0) onTick();
      },
      (b, part, final) => intervals.onPart(i, b, part, final),
    ),
  );
  const threads = started.map((t) => t.worker);
  const done = Promise.all(started.map((t) => t.report)).then(merge);
  // Awaited by the caller only once the threads are ready; a failure before that is thrown there.
  done.catch(() => undefined);
  try {
    await Promise.all(started.map((t) => t.ready));
  } catch (err) {
    await Promise.all(threads.map((w) => w.terminate()));
    throw err;
  }
  const send = (type: 'stop' | 'abort') => {
    const word = new Int32Array(control);
    // An abort is never downgraded back to a stop.
    if (Atomics.load(word, 0) !== CONTROL_ABORT) Atomics.store(word, 0, type === 'abort' ? CONTROL_ABORT : CONTROL_STOP);
    threads.forEach((w) => w.postMessage({ type }));
  };
  return {
    threads: threads.length,
    live: () => {
      const sum = newCounters();
      for (const c of latest) addCounters(sum, c);
      return sum;
    },
    start: (epochMs) => threads.forEach((w) => w.postMessage({ type: 'go', epochMs })),
    stop: () => send('stop'),
    abort: () => send('abort'),
    done,
  };
}

/**
 * Starts client thread `i` (floodWorker.ts). `ready`: its engine is built; `report`: its final
 * report (the thread is then terminated). `onCounters` gets its counters on every tick (`tick`
 * true) and once more with the report; `onPart` its interval parts, the final one before the report.
 */
function startClientThread(
  url: URL,
  i: number,
  workerData: { config: EngineConfig; share: EngineShare; next: SharedArrayBuffer; control: SharedArrayBuffer; tickMs: number; intervalMs: number },
  onCounters: (counters: Float64Array, tick: boolean) => void,
  onPart: (b: number, part: IntervalPart, final: boolean) => void,
): { worker: Worker; ready: Promise<void>; report: Promise<EngineReport> } {
  const worker = new Worker(url, { workerData });
  let onReady: () => void = () => undefined;
  let failReady: (e: unknown) => void = () => undefined;
  const ready = new Promise<void>((res, rej) => {
    onReady = res;
    failReady = rej;
  });
  const report = new Promise<EngineReport>((resolve, reject) => {
    worker.on('message', (msg: { type: string; counters?: Float64Array; report?: EngineReport; b?: number; part?: IntervalPart; final?: boolean }) => {
      if (msg.type === 'ready') {
        onReady();
      } else if (msg.type === 'interval') {
        onPart(msg.b!, msg.part!, msg.final!);
      } else if (msg.type === 'tick') {
        onCounters(msg.counters!, true);
      } else if (msg.type === 'done') {
        onCounters(msg.report!.counters, false);
        resolve(msg.report!);
        void worker.terminate();
      }
    });
    const fail = (err: unknown) => {
      failReady(err);
      reject(err);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`client thread ${i} exited (${code}) before reporting`)));
  });
  return { worker, ready, report };
}
