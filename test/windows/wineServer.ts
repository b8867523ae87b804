/**
 * Runs the built CLI's `server` under Wine's node.exe (the Windows build, real IOCP) and reads
 * its JSON start-up line from the stdout file. The tests drive it from Linux over 127.0.0.1.
 */
import type { ServerStats } from '../../src/server/types.js';
import { fetchStats } from '../helpers/serverProcess.js';
import { afterAll, beforeAll } from 'vitest';
import { killWineServer, startWineNode, type WineNodeProcess } from './wine.js';

export interface WineServer {
  proc: WineNodeProcess;
  port: number;
  statsUrl: string;
  stats(): Promise<ServerStats>;
  /** Ctrl-C (SIGINT reaches node.exe as Ctrl-C under Wine); resolves with the exit code. */
  interrupt(timeoutMs?: number): Promise<number | null>;
}

export async function startWineServer(args: string[]): Promise<WineServer> {
  const proc = startWineNode('bin/iocp-bench.js', {
    args: ['server', '--port', '0', '--stats-port', '0', '--json', ...args],
    name: 'server',
  });
  const line = await proc.waitForLine(/"event":"listening"/, 90_000);
  const j = JSON.parse(line) as { listen: { port: number }; stats: string };
  return {
    proc,
    port: j.listen.port,
    statsUrl: j.stats,
    stats: () => fetchStats(j.stats),
    async interrupt(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      proc.signal('SIGINT');
      // The server prints "stopping" as soon as its handler runs. Without it, node.exe never saw
      // the Ctrl-C (Wine turns SIGINT into a console event on a new thread): say so and send it
      // once more. What this helper's callers test is the drain after the Ctrl-C;
      // wine-runtime.test.ts tests the delivery itself.
      try {
        await proc.waitForLine(/"event":"stopping"/, 10_000);
      } catch {
        if (proc.exited) return proc.exitCode;
        console.warn(`${proc.name}: no "stopping" line 10 s after SIGINT; sending SIGINT again`);
        proc.signal('SIGINT');
      }
      const { code } = await proc.waitForExit(Math.max(1000, deadline - Date.now()));
      return code;
    },
  };
}

/**
 * A Wine server for the enclosing describe block: started before its tests; afterwards it is
 * killed and Wine's helper processes are ended. Returns a getter.
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
