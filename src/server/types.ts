/** The server's option and stats types, and the option defaults: shared by every backend and the CLI. */
import type { LifetimeFault } from './bugZoo.js';

export type BackendName = 'epoll' | 'iocp' | 'node';
/** `refcount` is the design; `naive` the classic tutorial's bug; a fault is one bug of the zoo (bugZoo.ts). */
export type Lifetime = 'refcount' | 'naive' | LifetimeFault;

/** Options of startServer(); every field has a default (see DEFAULT_SERVER_OPTIONS). */
export interface ServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  workers: number;
  backend: BackendName | 'auto';
  maxSessions: number;
  /** Milliseconds without a completion before a session is reset; 0 disables. */
  idleTimeoutMs: number;
  /** Per-session echo buffer in bytes; when full the session stops receiving until sends drain. */
  bufferSize: number;
  /**
   * SO_SNDBUF of every accepted socket in bytes; 0 keeps the OS's default (which autotunes to
   * megabytes on Linux loopback). A small one makes sends go pending, with a receive beside them,
   * far more often: the state where a session's two operations race.
   */
  sendBuffer: number;
  lifetime: Lifetime;
  /** Port of the HTTP stats endpoint on statsHost; 0 picks one; null turns it off. */
  statsPort: number | null;
  statsHost: string;
  /**
   * How many workers may wait on the port at once (an IOCP's NumberOfConcurrentThreads);
   * 0 = the default: every worker on IOCP, half the CPUs (at least one) on epoll, leaving the
   * rest to a load generator on the same machine. The other workers wait their turn.
   */
  concurrency: number;
  /** How many AcceptEx operations stay posted (IOCP) / connections accepted per wake-up (epoll). */
  acceptDepth: number;
  /**
   * epoll: batch each worker's recv()/send() calls through io_uring where it passes its probe
   * (false: one system call each). Other backends ignore it.
   */
  ioUring: boolean;
  /**
   * epoll: descriptors kept free below the process's limit (RLIMIT_NOFILE) for the stats
   * endpoint, the stop path and Node itself. A connection accepted into one of them is reset at
   * once and counted as rejected. Other backends ignore it.
   */
  fdReserve: number;
}

export const DEFAULT_SERVER_OPTIONS: ServerOptions = {
  host: '127.0.0.1',
  port: 7777,
  workers: 5,
  backend: 'auto',
  maxSessions: 10_000,
  idleTimeoutMs: 0,
  bufferSize: 64 * 1024,
  sendBuffer: 0,
  lifetime: 'refcount',
  statsPort: 0,
  statsHost: '127.0.0.1',
  acceptDepth: 64,
  concurrency: 0,
  ioUring: true,
  fdReserve: 80,
};

/** The shape GET /stats returns. Fields may be added; none may be renamed. */
export interface ServerStats {
  backend: BackendName;
  workers: number;
  lifetime: Lifetime;
  listen: { host: string; port: number };
  uptimeMs: number;
  sessions: { live: number; peak: number; accepted: number; freed: number; rejected: number };
  ops: { outstanding: number; posted: number; completed: number; failed: number };
  staleCompletions: number;
  bytes: { in: number; out: number };
  perWorker: Array<{ completions: number }>;
  /** Extra, backend-specific counters (for example acceptFailures, idleClosed, doubleFrees). */
  extra: Record<string, number>;
}
