/**
 * startServer(): validate options once, pick the backend, start the workers and the stats
 * endpoint. Backends trust what reaches them.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { IocpBenchError, SysError, usageError } from '../errors.js';
import { createHost, resolveBackend } from './backends.js';
import { Counters } from './counters.js';
import type { ServerHandle } from './handle.js';
import { startNodeEcho } from './node/nodeBackend.js';
import { SessionTable } from './sessionTable.js';
import { startStatsEndpoint, type StatsEndpoint } from './statsServer.js';
import type { ServerOptions, ServerStats } from './types.js';
import { validateServerOptions } from './validate.js';
import { WorkerPool } from './workerPool.js';

export { validateServerOptions };

/** How long close() waits for outstanding operations before it stops the workers anyway. */
const DRAIN_MS = 4000;

/** The lowest descriptor number free now (the one the next open or accept gets). */
function lowestFreeFd(): number {
  const fd = openSync('/dev/null', 'r');
  closeSync(fd);
  return fd;
}

/** What to do about a port that is taken, after the error's own line. */
const IN_USE_HINT = (flag: string) => `; another process listens there (${flag} 0 picks a free port)`;

/** A listen address in use (EADDRINUSE on Linux and in Node, WSAEADDRINUSE on Windows) says what to do. */
function withPortHint(err: unknown, flag: string): unknown {
  if (err instanceof SysError && (err.code === 'EADDRINUSE' || err.code === 'WSAEADDRINUSE')) err.message += IN_USE_HINT(flag);
  return err;
}

/**
 * How a running server reports what happens to it, beside its stats. The library API
 * (./index.ts) passes none: it prints nothing, and a failed worker shows in the stats
 * (extra.workerFailures, worker_failures in /metrics). The `server` command warns on stderr.
 */
export interface ServerReports {
  /** A worker thread failed (the server keeps serving on the others), with what it said. */
  onWorkerFailure?(message: string): void;
}

export async function startServer(partial: Partial<ServerOptions> = {}, reports: ServerReports = {}): Promise<ServerHandle> {
  const options = validateServerOptions(partial);
  const backend = resolveBackend(options.backend);
  const startedAt = Date.now();
  let stopCore: (drainMs: number, onStage: (stage: string) => void) => Promise<unknown>;
  /** epoll: an accepted descriptor at or above `ceiling` is reset (--fd-reserve); null elsewhere. */
  let fds: { ceiling: number; limit: number } | null = null;
  let concurrency = 1;
  let snapshot: () => ServerStats;
  let address: { host: string; port: number };

  if (backend === 'node') {
    const echo = await startNodeEcho(options).catch((e: unknown) => Promise.reject(withPortHint(e, '--port')));
    address = echo.address;
    snapshot = () =>
      echo.counters.snapshot({
        backend, workers: 1, lifetime: options.lifetime, listen: address, startedAt,
        table: null, live: echo.live(), peak: echo.peak(),
      });
    stopCore = (ms, onStage) => {
      onStage('draining sessions');
      return echo.close(ms);
    };
  } else {
    const table = new SessionTable(options.maxSessions);
    const counters = new Counters(options.workers + 1);
    const host = await createHost({ options, table, counters }, backend).catch((e: unknown) => Promise.reject(withPortHint(e, '--port')));
    address = host.address;
    concurrency = host.concurrency;
    const { fdCeiling, fdLimit } = host.native;
    if (typeof fdCeiling === 'number' && typeof fdLimit === 'number') fds = { ceiling: fdCeiling, limit: fdLimit };
    let fatal: string | null = null;
    const pool = await WorkerPool.start(host, table, counters, options, {
      onFatal: (m) => {
        fatal ??= m;
        reports.onWorkerFailure?.(m);
      },
    });
    snapshot = () => {
      const s = counters.snapshot({
        backend, workers: options.workers, lifetime: options.lifetime, listen: address, startedAt, table,
      });
      if (fatal) s.extra.workerFailures = 1;
      return s;
    };
    stopCore = (ms, onStage) => pool.stop(ms, onStage);
  }

  const rss = residentMemory();
  const read = (): ServerStats => {
    const s = snapshot();
    // Resident memory of the whole server process: how the per-session cost is measured.
    const bytes = rss.read();
    if (bytes !== null) s.extra.rssBytes = bytes;
    return s;
  };

  let stats: StatsEndpoint | null = null;
  if (options.statsPort !== null) {
    try {
      stats = await startStatsEndpoint(options.statsHost, options.statsPort, () => read());
    } catch (err) {
      await stopCore(0, () => {});
      const e = err as NodeJS.ErrnoException;
      throw new IocpBenchError(
        'E_STATS_LISTEN',
        `cannot serve stats on ${options.statsHost}:${options.statsPort}: ${e.code ?? e.message}${e.code === 'EADDRINUSE' ? IN_USE_HINT('--stats-port') : ''}`,
      );
    }
  }

  // Everything of the server's own is open now (workers, their rings, the stats socket): a reserve
  // that leaves no descriptor above them would reset every connection in silence.
  let sessionDescriptors: number | null = null;
  if (fds !== null) {
    const lowest = lowestFreeFd();
    sessionDescriptors = Math.max(0, fds.ceiling - lowest);
    if (lowest >= fds.ceiling) {
      await stopCore(0, () => {});
      await stats?.close();
      rss.close();
      throw usageError('--fd-reserve', `leaves no descriptor for sessions: this process may open ${fds.limit}, and the lowest free one is number ${lowest}`, options.fdReserve);
    }
  }

  let closing: Promise<ServerStats> | null = null;
  let stage: string | null = null;
  return {
    backend,
    address,
    statsUrl: stats?.url ?? null,
    sessionDescriptors,
    concurrency,
    stats: () => read(),
    stopStage: () => stage,
    close() {
      closing ??= (async () => {
        stage = 'draining sessions';
        await stopCore(DRAIN_MS, (s) => (stage = s));
        const final = read();
        stage = 'closing the stats endpoint';
        await stats?.close();
        rss.close();
        stage = 'stopped';
        return final;
      })();
      return closing;
    },
  };
}

/**
 * The process's resident memory, read without a new descriptor per call: on Linux
 * process.memoryUsage.rss() opens /proc/self/stat each time, which fails (EMFILE) exactly when a
 * server at its descriptor limit is asked for its stats. So /proc/self/status is opened once and
 * re-read in place. Elsewhere (Windows: GetProcessMemoryInfo) no file is involved. A read that
 * fails returns null: the field is left out, the stats are still served.
 */
function residentMemory(): { read(): number | null; close(): void } {
  let fd: number | null = null;
  if (process.platform === 'linux') {
    try {
      fd = openSync('/proc/self/status', 'r');
    } catch {
      fd = null;
    }
  }
  const buf = Buffer.alloc(4096);
  return {
    read() {
      try {
        if (fd === null) return process.memoryUsage.rss();
        const n = readSync(fd, buf, 0, buf.length, 0);
        const kb = /VmRSS:\s+(\d+) kB/.exec(buf.toString('latin1', 0, n));
        return kb ? Number(kb[1]) * 1024 : null;
      } catch {
        return null;
      }
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
