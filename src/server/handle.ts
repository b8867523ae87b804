/** ServerHandle: what startServer() resolves to, for the library API and the CLI alike. */
import type { BackendName, ServerStats } from './types.js';

/** What startServer() resolves to. */
export interface ServerHandle {
  readonly backend: BackendName;
  /** The address the echo listener is really bound to (port 0 resolved). */
  readonly address: { host: string; port: number };
  /** `http://127.0.0.1:PORT/stats`, or null when the stats endpoint is off. */
  readonly statsUrl: string | null;
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
