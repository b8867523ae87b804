/**
 * Spreads the flood over client threads (or runs it on the calling thread with 0 workers): shares
 * of connections and rate, one shared index counter, stop/abort through a shared control word,
 * and the merge of their counters, histograms and samples.
 */
import { Worker } from 'node:worker_threads';
import type { Histogram } from 'hdr-histogram-js';
import { ClientEngine, CONTROL_ABORT, CONTROL_STOP, type EngineReport, type EngineShare, type ErrorSample, type FaultSample } from './clientEngine.js';
import type { EngineConfig } from '../options.js';
import { addCounters, mergeEncoded, newCounters, newHistogram } from './floodCounters.js';
import type { TransportName } from '../transport/transport.js';
import { workerEntry } from '../../workerEntry.js';
import { UNLIMITED } from '../../units.js';

const TICK_MS = 250;

/** Hands out connection indices 0..total-1 across threads through one shared atomic counter. */
export function claimer(next: SharedArrayBuffer, total: number): () => number {
  const slot = new Int32Array(next);
  return () => {
    // Compare first so the counter cannot wrap however long a duration run claims.
    if (Atomics.load(slot, 0) >= total) return -1;
    const i = Atomics.add(slot, 0, 1);
    return i < total ? i : -1;
  };
}

export interface MergedReport {
  /** Client threads per transport they ran on. */
  transports: Partial<Record<TransportName, number>>;
  counters: Float64Array;
  rtt: Histogram;
  connect: Histogram;
  faultSamples: FaultSample[];
  errorSamples: ErrorSample[];
}

export interface ThreadRun {
  /** Latest counters summed over threads (refreshed every tick). */
  live(): Float64Array;
  /** Starts the flood on the prepared threads: connections open from here on. */
  start(): void;
  stop(): void;
  abort(): void;
  done: Promise<MergedReport>;
}

/** The per-thread slices of `total` concurrency and rate. */
export function shares(connections: number, rate: number, threads: number): EngineShare[] {
  const n = Math.max(1, Math.min(threads, connections));
  return Array.from({ length: n }, (_, i) => ({
    maxActive: Math.floor(connections / n) + (i < connections % n ? 1 : 0),
    rate: rate / n,
  }));
}

function merge(reports: EngineReport[]): MergedReport {
  const out: MergedReport = { transports: {}, counters: newCounters(), rtt: newHistogram(), connect: newHistogram(), faultSamples: [], errorSamples: [] };
  for (const r of reports) {
    out.transports[r.transport] = (out.transports[r.transport] ?? 0) + 1;
    addCounters(out.counters, r.counters);
    mergeEncoded(out.rtt, r.rtt);
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
export async function prepareThreads(cfg: EngineConfig, workers: number, onTick: () => void): Promise<ThreadRun> {
  // Connection indices are claimed through an Int32: a larger total runs without limit.
  const total = Math.min(cfg.total, UNLIMITED);
  const next = new SharedArrayBuffer(4);
  const config: EngineConfig = { ...cfg, total };
  if (workers === 0) {
    const engine = new ClientEngine(config, shares(cfg.connections, cfg.rate, 1)[0]!, claimer(next, total));
    let begin: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (begin = resolve));
    const done = started.then(() => {
      const timer = setInterval(onTick, TICK_MS);
      return engine.run().then(() => {
        clearInterval(timer);
        return merge([engine.report()]);
      });
    });
    return { live: () => engine.counters, start: () => begin(), stop: () => engine.stop(), abort: () => engine.abort(), done };
  }
  const parts = shares(cfg.connections, cfg.rate, workers);
  const latest = parts.map(() => newCounters());
  const threads: Worker[] = [];
  const control = new SharedArrayBuffer(4);
  const url = workerEntry(import.meta.url, 'client/run/floodWorker.js');
  const ready: Promise<void>[] = [];
  const reports = parts.map(
    (share, i) =>
      new Promise<EngineReport>((resolve, reject) => {
        const w = new Worker(url, { workerData: { config, share, next, control, tickMs: TICK_MS } });
        threads.push(w);
        let onReady: () => void = () => undefined;
        let failReady: (e: unknown) => void = () => undefined;
        ready.push(
          new Promise<void>((res, rej) => {
            onReady = res;
            failReady = rej;
          }),
        );
        w.on('message', (msg: { type: string; counters?: Float64Array; report?: EngineReport }) => {
          if (msg.type === 'ready') {
            onReady();
          } else if (msg.type === 'tick') {
            latest[i] = msg.counters!;
            if (i === 0) onTick();
          } else if (msg.type === 'done') {
            latest[i] = msg.report!.counters;
            resolve(msg.report!);
            void w.terminate();
          }
        });
        const fail = (err: unknown) => {
          failReady(err);
          reject(err);
        };
        w.on('error', fail);
        w.on('exit', (code) => fail(new Error(`client thread ${i} exited (${code}) before reporting`)));
      }),
  );
  const done = Promise.all(reports).then(merge);
  // Awaited by the caller only once the threads are ready; a failure before that is thrown there.
  done.catch(() => undefined);
  try {
    await Promise.all(ready);
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
    live: () => {
      const sum = newCounters();
      for (const c of latest) addCounters(sum, c);
      return sum;
    },
    start: () => threads.forEach((w) => w.postMessage({ type: 'go' })),
    stop: () => send('stop'),
    abort: () => send('abort'),
    done,
  };
}
