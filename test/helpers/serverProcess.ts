/**
 * Spawns the real CLI (`node bin/iocp-bench.js server --json ...`) and reads its start-up line.
 * Every wait is bounded in time. (test/windows/wineServer.ts starts the same CLI under Wine.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import type { ServerStats } from '../../src/server/types.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(REPO, 'bin', 'iocp-bench.js');

/** A running server as the tests see it, however it was started. */
export interface ServerProcess {
  port: number;
  statsUrl: string;
  stdout(): string;
  stderr(): string;
  stats(): Promise<ServerStats>;
  /** Resident memory of the server process in bytes (from its /stats). */
  rss(): Promise<number>;
  /**
   * Send a signal (null: none, the server is stopping by itself) and wait for the exit, at most
   * timeoutMs; then SIGKILL. `ms` is the time from the signal to the exit.
   */
  stop(signal?: NodeJS.Signals | null, timeoutMs?: number): Promise<{ code: number | null; ms: number }>;
}

/** A server started here, under this machine's node. */
export interface NodeServerProcess extends ServerProcess {
  child: ChildProcess;
}

/**
 * Server processes started here that have not exited: killed once the test file's own after-all
 * hooks have run (this one is registered first, at import, so it runs last), so that a test that
 * fails before its stop leaves no server running.
 */
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * `wrap`: a command the server runs under, which execs it in the same process (e.g.
 * ['prlimit', '--nofile=256:256', '--'] for a descriptor limit without root).
 */
export async function startServerProcess(args: string[], timeoutMs = 15_000, wrap: string[] = []): Promise<NodeServerProcess> {
  const argv = [process.execPath, CLI, 'server', '--port', '0', '--stats-port', '0', '--json', ...args];
  const child = spawn(wrap[0] ?? argv[0]!, [...wrap.slice(1), ...(wrap.length > 0 ? argv : argv.slice(1))], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  let err = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (err += c));
  const started = await new Promise<{ port: number; statsUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}${err}`)), timeoutMs);
    const onData = () => {
      const line = out.split('\n').find((l) => l.includes('"listening"'));
      if (!line) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      const j = JSON.parse(line) as { listen: { port: number }; stats: string };
      resolve({ port: j.listen.port, statsUrl: j.stats });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${out}${err}`));
    });
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    ...started,
    stdout: () => out,
    stderr: () => err,
    stats: () => fetchStats(started.statsUrl),
    rss: async () => (await fetchStats(started.statsUrl)).extra.rssBytes,
    async stop(signal: NodeJS.Signals | null = 'SIGTERM', ms = 10_000) {
      const t0 = Date.now();
      if (child.exitCode === null && signal) child.kill(signal);
      const code = await Promise.race([
        exited,
        new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms)),
      ]);
      if (code === 'timeout') {
        child.kill('SIGKILL');
        return { code: null, ms: Date.now() - t0 };
      }
      return { code, ms: Date.now() - t0 };
    },
  };
}

/**
 * How a test ends a server (or a flood) it started under this machine's node with a graceful stop:
 * SIGTERM; on Windows, where Node cannot signal a child process (kill() there is TerminateProcess),
 * the end of a --duration given at its start. `args` go on the command line; pass `signal` to stop().
 */
export function gracefulStop(duration: string): { args: string[]; signal: NodeJS.Signals | null } {
  return process.platform === 'win32' ? { args: ['--duration', duration], signal: null } : { args: [], signal: 'SIGTERM' };
}

export async function fetchStats(url: string): Promise<ServerStats> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return (await res.json()) as ServerStats;
}

/** Poll /stats (or any reading) until `ok` holds or the time is up; returns the last reading. */
export async function settle<T = ServerStats>(
  read: () => Promise<T>,
  ok: (s: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let s = await read();
  while (!ok(s) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    s = await read();
  }
  return s;
}

export const quiescent = (s: ServerStats) =>
  s.sessions.live === 0 && s.ops.outstanding === 0 && s.sessions.accepted === s.sessions.freed;

/** Connections the server has dealt with: sessions accepted, plus accepts that failed (IOCP). */
export const reached = (s: ServerStats) => s.sessions.accepted + (s.extra.acceptFailures ?? 0);

/**
 * Quiescent, and at least `n` connections reached. Quiescent alone is not enough after a burst:
 * nothing is in flight while connections still wait in the listen queue for an accept.
 */
export const drained = (n: number) => (s: ServerStats) => quiescent(s) && reached(s) >= n;

/**
 * A server process for the enclosing describe block: started before its tests (by `start`: here
 * under node, or a launcher's, e.g. under Wine), killed after. Returns a getter (the process
 * exists only once the tests run).
 */
export function useServerProcess(
  args: string[],
  start: (args: string[]) => Promise<ServerProcess> = startServerProcess,
): () => ServerProcess {
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    server = await start(args);
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
  });
  return () => server!;
}

/**
 * A stop signal and a second one during the stop, with one client connected (its echo back, so
 * that the server has accepted it) so that there is a session to reset: both are sent while the process is stopped (SIGSTOP), so that the first
 * starts the stop and the second lands during it (two of the same signal would merge while
 * pending). Resolves with the exit code (null: it did not end within 10 s, and was killed). POSIX only.
 */
export async function secondSignalDuringStop(server: NodeServerProcess): Promise<number | null> {
  const client = connect(server.port, '127.0.0.1');
  client.on('error', () => {});
  // An echo, not just the connect: a connection still in the listen queue when the stop begins
  // is never accepted, and there would be no session.
  await new Promise<void>((r) => client.once('connect', () => client.write('x')).once('data', () => r()));
  const pid = server.child.pid!;
  process.kill(pid, 'SIGSTOP');
  process.kill(pid, 'SIGTERM');
  process.kill(pid, 'SIGINT');
  process.kill(pid, 'SIGCONT');
  const { code } = await server.stop(null, 10_000);
  client.destroy();
  return code;
}
