/**
 * How the tests start the server: the built CLI under this machine's node, or the Windows build
 * under Wine's node.exe. One launcher per run: IOCP_BENCH_WINE=1 (set by vitest.windows.config.ts)
 * selects Wine on Linux, and the server behaviour tests of test/server/ then run against IOCP under
 * Wine. On Windows there is no Wine to select (test/windows/wine.ts would start node.exe natively,
 * with none of the Wine launcher's signals or sizes): the node launcher, whatever the variable says.
 */
import { runWineNode } from '../windows/wine.js';
import { startWineServer } from '../windows/wineServer.js';
import { runCliProcess } from './cli.js';
import { startServerProcess, type ServerProcess } from './serverProcess.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ServerLauncher {
  /** Appended to variant names: '' under node, ' (Wine)' under Wine. */
  label: string;
  /** The OS the server runs on (win32 under Wine, whatever the tests run on). */
  platform: NodeJS.Platform;
  /** Signals a test can send that stop the server gracefully (drain, then exit). */
  stopSignals: NodeJS.Signals[];
  /** A load of `n` connections (or rounds) sized for this launcher: never fewer than 1. */
  size(n: number): number;
  /** Starts `iocp-bench server --port 0 --stats-port 0 --json ...args` and reads its start-up line. */
  start(args: string[]): Promise<ServerProcess>;
  /** Runs `iocp-bench ...args` to its exit (bounded) and returns its exit code and output. */
  run(args: string[], timeoutMs?: number): Promise<CliRun>;
}

/**
 * Natively on Windows, connection-heavy loads run at a quarter: every client-first FIN close
 * leaves its port in TIME_WAIT for 120-240 s, Node binds before connecting (so those ports are
 * not reused), and the whole suite must fit the dynamic port range the workflow widens to 55,536.
 */
export const WINDOWS_SCALE = 1 / 4;

const nodeLauncher: ServerLauncher = {
  label: '',
  platform: process.platform,
  // On Windows, Node cannot deliver SIGTERM or Ctrl-C to a child process.
  stopSignals: process.platform === 'win32' ? [] : ['SIGTERM', 'SIGINT'],
  size: process.platform === 'win32' ? (n) => Math.max(1, Math.round(n * WINDOWS_SCALE)) : (n) => n,
  start: (args) => startServerProcess(args),
  run: (args, timeoutMs) => runCliProcess(args, timeoutMs),
};

// Wine runs ~10-13k closed-loop echoes/s and takes ~4.5 s for 1,500 connections: a third of the
// load keeps a test within a minute there. Wine timings say nothing about Windows speed.
const WINE_SCALE = 1 / 3;

const wineLauncher: ServerLauncher = {
  label: ' (Wine)',
  platform: 'win32',
  // Wine turns SIGINT into Ctrl-C (a graceful stop); SIGTERM ends node.exe at once.
  stopSignals: ['SIGINT'],
  size: (n) => Math.max(1, Math.round(n * WINE_SCALE)),
  start: (args) => startWineServer(args),
  // node.exe takes seconds to start under Wine.
  run: async (args, timeoutMs = 90_000) => {
    const r = await runWineNode('bin/iocp-bench.js', { args, timeoutMs, name: 'cli' });
    return { code: r.code, stdout: r.stdout, stderr: r.stderr };
  },
};

/** The launcher of this run. */
export const LAUNCHER: ServerLauncher =
  process.env.IOCP_BENCH_WINE === '1' && process.platform !== 'win32' ? wineLauncher : nodeLauncher;
