import { parentPort, workerData } from 'node:worker_threads';
import { ClientEngine, type EngineShare } from './engine.js';
import type { EngineConfig } from './options.js';
import { claimer } from './threads.js';

/**
 * Entry of a client thread: runs its share of the flood and reports counters every tick and a
 * full report (counters, encoded histograms, samples) at the end. The main thread terminates it
 * after the final message.
 */
interface FloodWorkerData {
  config: EngineConfig;
  share: EngineShare;
  next: SharedArrayBuffer;
  tickMs: number;
}

const data = workerData as FloodWorkerData;
const port = parentPort!;
const engine = new ClientEngine(data.config, data.share, claimer(data.next, data.config.total));
port.on('message', (msg: { type: string }) => {
  if (msg.type === 'stop') engine.stop();
  else if (msg.type === 'abort') engine.abort();
});
const tick = setInterval(() => port.postMessage({ type: 'tick', counters: engine.counters }), data.tickMs);
engine.run().then(() => {
  clearInterval(tick);
  port.postMessage({ type: 'done', report: engine.report() });
});
