/**
 * Runs the built CLI's `server` under Wine's node.exe (the Windows build, real IOCP) and reads
 * its JSON start-up line from the stdout file. The tests drive it from Linux over 127.0.0.1.
 * It is a ServerProcess like a server under Linux node, so test/server/ runs against it too
 * (test/helpers/serverLaunchers.ts). When the tests run on Windows, the server is node.exe
 * started natively (wine.ts: USE_WINE), driven the same way.
 */
import { afterAll, beforeAll } from 'vitest';
import { fetchStats, type ServerProcess } from '../helpers/serverProcess.js';
import { USE_WINE, killWineServer, launchUnderWine, startWineNode, type WineNodeProcess } from './wine.js';

export interface WineServer extends ServerProcess {
  proc: WineNodeProcess;
  /**
   * A graceful stop; resolves with the exit code. Under Wine, Ctrl-C (SIGINT reaches node.exe as
   * Ctrl-C). Natively Node cannot send a child Ctrl-C (a signal is TerminateProcess there): a
   * server started with --duration is waited for (its own graceful stop at the end of it, which
   * the caller's timeoutMs must cover); any other is ended at once.
   */
  interrupt(timeoutMs?: number): Promise<number | null>;
}

/**
 * SIGINT, which Wine turns into Ctrl-C. The server prints "stopping" as soon as its handler runs.
 * Without it, node.exe never saw the Ctrl-C (Wine delivers it as a console event on a new
 * thread): say so and send it once more. What this helper's callers test is the drain after the
 * Ctrl-C; wine-runtime.test.ts tests the delivery itself.
 */
async function ctrlC(proc: WineNodeProcess): Promise<void> {
  proc.signal('SIGINT');
  try {
    await proc.waitForLine(/"event":"stopping"/, 10_000);
  } catch {
    if (proc.exited) return;
    console.warn(`${proc.name}: no "stopping" line 10 s after SIGINT; sending SIGINT again`);
    proc.signal('SIGINT');
  }
}

/**
 * Starts the server under Wine (natively: node.exe itself). A launch that Wine itself failed is
 * made once more, with a warning (launchUnderWine); any other failure to start is the test's
 * failure.
 */
export async function startWineServer(args: string[]): Promise<WineServer> {
  const { proc, result: line } = await launchUnderWine(
    () =>
      startWineNode('bin/iocp-bench.js', {
        args: ['server', '--port', '0', '--stats-port', '0', '--json', ...args],
        name: 'server',
      }),
    (p) => p.waitForLine(/"event":"listening"/, 90_000),
  );
  const j = JSON.parse(line) as { listen: { port: number }; stats: string };
  return {
    proc,
    port: j.listen.port,
    statsUrl: j.stats,
    stdout: () => proc.stdout(),
    stderr: () => proc.stderr(),
    stats: () => fetchStats(j.stats),
    rss: async () => (await fetchStats(j.stats)).extra.rssBytes,
    async interrupt(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      if (!USE_WINE) {
        if (!args.includes('--duration')) proc.signal('SIGTERM');
        return (await proc.waitForExit(timeoutMs)).code;
      }
      await ctrlC(proc);
      const { code } = await proc.waitForExit(Math.max(1000, deadline - Date.now()));
      return code;
    },
    // Under Wine, SIGINT is a graceful stop (Ctrl-C) and SIGTERM ends node.exe at once. Natively
    // any signal ends it at once (null waits for the end of its --duration).
    async stop(signal: NodeJS.Signals | null = 'SIGTERM', timeoutMs = 10_000) {
      const t0 = Date.now();
      if (signal === 'SIGINT' && USE_WINE) await ctrlC(proc);
      else if (signal) proc.signal(signal);
      try {
        const { code } = await proc.waitForExit(Math.max(1, t0 + timeoutMs - Date.now()));
        return { code, ms: Date.now() - t0 };
      } catch {
        proc.signal('SIGKILL');
        await proc.waitForExit(10_000).catch(() => undefined);
        return { code: null, ms: Date.now() - t0 };
      }
    },
  };
}

/**
 * A Wine server for the enclosing describe block: started before its tests; afterwards it is
 * killed and Wine's helper processes are ended (natively: it is killed). Returns a getter.
 */
export function useWineServer(args: string[]): () => WineServer {
  let server: WineServer | undefined;
  beforeAll(async () => {
    server = await startWineServer(args);
  });
  afterAll(async () => {
    await server?.proc.kill(2000);
    killWineServer();
  });
  return () => server!;
}
