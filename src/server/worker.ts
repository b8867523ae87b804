/**
 * A worker thread: block in the backend's wait, run the completions, repeat until an exit
 * sentinel arrives. Each worker loads its own koffi bindings (they are per-thread).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createPortBackend } from './backends.js';
import { makeBatch, type WorkerInit } from './completion.js';
import { Counters } from './counters.js';
import { EchoEngine } from './engine.js';
import { SessionTable } from './sessionTable.js';

const BATCH = 128;
/** Wake up at least this often (ms) to run the idle scan even when no I/O arrives. */
const WAIT_MS = 250;

async function main(): Promise<void> {
  const init = workerData as WorkerInit;
  const table = new SessionTable(init.table, init.tableClockOrigin);
  const counters = new Counters(init.counters).row(init.index);
  const port = await createPortBackend(init, table, counters);
  const engine = new EchoEngine(table, port, counters, init.options);
  const batch = makeBatch(BATCH);
  const scans = init.index === 0 && init.options.idleTimeoutMs > 0;
  parentPort!.postMessage({ type: 'ready' });
  try {
    for (;;) {
      const n = port.wait(batch, WAIT_MS);
      if (!engine.dispatch(batch, n)) break;
      if (scans) engine.scanIdle();
      if (table.stopping()) port.stopAccepting();
    }
  } catch (err) {
    // The other workers serve on (the failure is reported as workerFailures): they must not wait
    // for anything this one held.
    port.abandon();
    throw err;
  }
  port.dispose();
}

main().then(
  () => parentPort!.postMessage({ type: 'exited' }),
  (err: unknown) => {
    parentPort!.postMessage({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
  },
);
