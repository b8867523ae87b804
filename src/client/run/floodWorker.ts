/**
 * Entry of a client thread: runs its share of the flood and reports counters every tick, its part
 * of each interval sample at the flood's boundaries (intervals.ts), and a full report (counters, encoded histograms, samples) at the end. The main thread terminates it
 * after the final message. It builds its engine at once, says 'ready', and starts on 'go', so the
 * flood's clock does not count the thread's start-up. Stop and abort arrive both as messages and
 * in the shared control word: the native transport's loop does not return to Node's loop until
 * the thread is done, so it reads the word on every turn.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ClientEngine, type EngineShare } from './clientEngine.js';
import type { EngineConfig } from '../options.js';
import { claimer } from './threads.js';
import { warmUpVerifier } from '../verify/streamVerifier.js';
import type { TimerHandle } from '../transport/transport.js';
import { intervalClock } from './intervals.js';

interface FloodWorkerData {
  config: EngineConfig;
  share: EngineShare;
  next: SharedArrayBuffer;
  control: SharedArrayBuffer;
  tickMs: number;
  intervalMs: number;
}

const data = workerData as FloodWorkerData;
const port = parentPort!;
const engine = new ClientEngine(data.config, data.share, claimer(data.next, data.config.total, data.config.shard), new Int32Array(data.control));
let tick: TimerHandle | null = null;
const sendTick = (): void => {
  port.postMessage({ type: 'tick', counters: engine.counters });
  tick = engine.transport.setTimer(sendTick, data.tickMs);
};
const go = (epochMs: number): void => {
  tick = engine.transport.setTimer(sendTick, data.tickMs);
  const clock = intervalClock(engine, epochMs, data.intervalMs, (b, part, final) => port.postMessage({ type: 'interval', b, part, final }));
  void engine.run().then(() => {
    if (tick) engine.transport.clearTimer(tick);
    clock.finish();
    port.postMessage({ type: 'done', report: engine.report() });
  });
};
port.on('message', (msg: { type: string; epochMs?: number }) => {
  if (msg.type === 'go') go(msg.epochMs!);
  else if (msg.type === 'stop') engine.stop();
  else if (msg.type === 'abort') engine.abort();
});
// A bounded warm-up (at most ~20 MB of frames, whatever --size says): the code paths, not the bytes, matter.
const warmSize = Math.min(data.config.size.min, 4096);
warmUpVerifier(engine.codec, warmSize, warmSize <= 128 ? 20_000 : 5_000);
port.postMessage({ type: 'ready' });
