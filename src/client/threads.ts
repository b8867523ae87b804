import { Worker } from 'node:worker_threads';
import type { Histogram } from 'hdr-histogram-js';
import { ClientEngine, type EngineReport, type EngineShare, type ErrorSample, type FaultSample } from './engine.js';
import type { EngineConfig } from './options.js';
import { addCounters, mergeEncoded, newCounters, newHistogram } from './stats.js';
import { floodWorkerUrl } from './workerScript.js';

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
  counters: Float64Array;
  rtt: Histogram;
  connect: Histogram;
  faultSamples: FaultSample[];
  errorSamples: ErrorSample[];
}

export interface ThreadRun {
  /** Latest counters summed over threads (refreshed every tick). */
  live(): Float64Array;
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
  const out: MergedReport = { counters: newCounters(), rtt: newHistogram(), connect: newHistogram(), faultSamples: [], errorSamples: [] };
  for (const r of reports) {
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

/** Runs the flood on `workers` client threads (0 = on this thread) and merges their results. */
export function runThreads(cfg: EngineConfig, workers: number, onTick: () => void): ThreadRun {
  const total = Math.min(cfg.total, 0x7fffffff);
  const next = new SharedArrayBuffer(4);
  const config: EngineConfig = { ...cfg, total };
  if (workers === 0) {
    const engine = new ClientEngine(config, shares(cfg.connections, cfg.rate, 1)[0]!, claimer(next, total));
    const timer = setInterval(onTick, TICK_MS);
    const done = engine.run().then(() => {
      clearInterval(timer);
      return merge([engine.report()]);
    });
    return { live: () => engine.counters, stop: () => engine.stop(), abort: () => engine.abort(), done };
  }
  const parts = shares(cfg.connections, cfg.rate, workers);
  const latest = parts.map(() => newCounters());
  const threads: Worker[] = [];
  // A stop asked for before the threads exist is delivered as each one starts.
  let requested: string | null = null;
  const done = floodWorkerUrl().then((url) =>
    Promise.all(
      parts.map(
        (share, i) =>
          new Promise<EngineReport>((resolve, reject) => {
            const w = new Worker(url, { workerData: { config, share, next, tickMs: TICK_MS } });
            threads.push(w);
            if (requested) w.postMessage({ type: requested });
            w.on('message', (msg: { type: string; counters?: Float64Array; report?: EngineReport }) => {
              if (msg.type === 'tick') {
                latest[i] = msg.counters!;
                if (i === 0) onTick();
              } else if (msg.type === 'done') {
                latest[i] = msg.report!.counters;
                resolve(msg.report!);
                void w.terminate();
              }
            });
            w.on('error', reject);
            w.on('exit', (code) => reject(new Error(`client thread ${i} exited (${code}) before reporting`)));
          }),
      ),
    ).then(merge),
  );
  const send = (type: string) => {
    requested = type;
    threads.forEach((w) => w.postMessage({ type }));
  };
  return {
    live: () => {
      const sum = newCounters();
      for (const c of latest) addCounters(sum, c);
      return sum;
    },
    stop: () => send('stop'),
    abort: () => send('abort'),
    done,
  };
}
