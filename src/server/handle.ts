/** ServerHandle: what startServer() resolves to, for the library API and the CLI alike. */
import type { BackendName, ServerStats } from './types.js';

/** What startServer() resolves to. */
export interface ServerHandle {
  readonly backend: BackendName;
  /** The address the echo listener is really bound to (port 0 resolved). */
  readonly address: { host: string; port: number };
  /** `http://127.0.0.1:PORT/stats`, or null when the stats endpoint is off. */
  readonly statsUrl: string | null;
  /**
   * epoll: the descriptors this process could still open for sessions once it was up (its
   * RLIMIT_NOFILE less --fd-reserve and those already open): about as many sessions fit, the rest
   * are reset and counted as rejected. Null on the other backends.
   */
  readonly sessionDescriptors: number | null;
  /** Workers allowed to run at once (--concurrency, resolved): 1 on the node backend. */
  readonly concurrency: number;
  /** A snapshot of the counters, read directly (no HTTP). */
  stats(): ServerStats;
  /**
   * Stop accepting, close every session, wait until no operation is outstanding, stop the
   * workers and release native memory. Resolves with the final counters. Idempotent.
   */
  close(): Promise<ServerStats>;
  /** The step close() is at ('draining sessions', 'joining workers', ...); null before close(). */
  stopStage(): string | null;
}
