/**
 * Starts the worker threads over a backend host and runs the shutdown sequence of
 * the README's "Session lifetime": stop accepting -> close every session -> drain until no operation is
 * outstanding -> one exit sentinel per worker -> join -> the host closes the port and frees
 * the arena.
 */
import { Worker } from 'node:worker_threads';
import { CONTROL_CLOSE_ALL, CONTROL_EXIT, type BackendHost, type WorkerInit } from './completion.js';
import type { Counters } from './counters.js';
import type { SessionTable } from './sessionTable.js';
import type { ServerOptions } from './types.js';
import { workerEntry } from '../workerEntry.js';


export interface PoolEvents {
  /** A worker died; the server cannot keep its promises any more. */
  onFatal(message: string): void;
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private exited = 0;

  private constructor(
    private readonly host: BackendHost,
    private readonly table: SessionTable,
    private readonly counters: Counters,
  ) {}

  static async start(
    host: BackendHost,
    table: SessionTable,
    counters: Counters,
    options: ServerOptions,
    events: PoolEvents,
  ): Promise<WorkerPool> {
    const pool = new WorkerPool(host, table, counters);
    const ready: Array<Promise<void>> = [];
    for (let index = 0; index < options.workers; index++) {
      const init: WorkerInit = {
        backend: host.name,
        index,
        table: table.sab,
        tableClockOrigin: table.clockOrigin,
        counters: counters.sab,
        options,
        native: host.native,
      };
      const w = new Worker(workerEntry(import.meta.url, 'server/worker.js'), { workerData: init });
      pool.workers.push(w);
      ready.push(
        new Promise<void>((resolve, reject) => {
          w.on('message', (m: { type: string; message?: string }) => {
            if (m.type === 'ready') resolve();
            else if (m.type === 'fatal') {
              reject(new Error(m.message));
              events.onFatal(`worker ${index}: ${m.message}`);
            }
          });
          w.once('error', (err) => {
            reject(err);
            events.onFatal(`worker ${index}: ${err.message}`);
          });
          w.once('exit', () => pool.exited++);
        }),
      );
    }
    try {
      await Promise.all(ready);
    } catch (err) {
      await pool.stop(0);
      throw err;
    }
    return pool;
  }

  /**
   * The shutdown sequence. Resolves once every worker has exited and the host is disposed;
   * `onStage` hears each step as it begins (for a stop that takes too long to say where).
   */
  async stop(drainMs: number, onStage: (stage: string) => void = () => {}): Promise<{ drained: boolean }> {
    this.table.setStopping();
    const alive = this.workers.length - this.exited;
    let drained = true;
    if (alive > 0) {
      onStage('draining sessions');
      this.host.postControl(CONTROL_CLOSE_ALL, 1);
      drained = await waitFor(
        () => this.counters.outstanding() <= 0 && this.table.live() === 0,
        drainMs,
      );
      onStage('joining workers');
      this.host.postControl(CONTROL_EXIT, this.workers.length);
      const joined = await waitFor(() => this.exited === this.workers.length, 2000);
      if (!joined) {
        onStage('terminating workers');
        await Promise.all(this.workers.map((w) => w.terminate()));
      }
    }
    onStage('closing the backend');
    this.host.dispose(drained && this.counters.outstanding() <= 0);
    return { drained };
  }
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}
