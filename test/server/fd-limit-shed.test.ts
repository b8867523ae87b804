// At the descriptor limit the server sheds load instead of spinning: under
// `prlimit --nofile=256:256` with 400 clients waiting, the connections that would eat into the
// --fd-reserve are reset and counted as rejected, the server idles, /stats answers, the sessions
// it holds still echo, and once everyone leaves the leak invariant holds and SIGTERM exits 0.
import { describe, expect, it } from 'vitest';
import { closeAll, echoOnce, openWatched } from '../helpers/holders.js';
import { coreShare } from '../helpers/processCpu.js';
import { quiescent, settle, startServerProcess } from '../helpers/serverProcess.js';

const CLIENTS = 400;

// prlimit and --fd-reserve are Linux's (the epoll backend's descriptor limit).
describe.runIf(process.platform === 'linux')('descriptor limit: 400 clients against a 256-descriptor server', () => {
  it('resets what it cannot hold, idles, serves stats and echoes, and stops cleanly', async () => {
    const server = await startServerProcess([], 15_000, ['prlimit', '--nofile=256:256', '--']);
    const clients = await openWatched(server.port, CLIENTS);
    try {
      const dealt = await settle(server.stats, (s) => s.sessions.accepted + s.sessions.rejected >= CLIENTS);
      expect(dealt.sessions.accepted + dealt.sessions.rejected).toBe(CLIENTS);
      expect(dealt.sessions.rejected).toBeGreaterThan(0);
      expect(dealt.sessions.accepted).toBeGreaterThan(50);
      // 256 minus the reserve (80) minus what the process holds itself.
      expect(dealt.sessions.accepted).toBeLessThan(176);
      expect(dealt.sessions.live).toBe(dealt.sessions.accepted);

      // Every rejected client saw its reset.
      const until = Date.now() + 10_000;
      while (clients.filter((c) => c.reset).length < dealt.sessions.rejected && Date.now() < until)
        await new Promise((r) => setTimeout(r, 50));
      expect(clients.filter((c) => c.reset)).toHaveLength(dealt.sessions.rejected);

      expect(await coreShare(server.child.pid!, 2000)).toBeLessThan(0.1);
      const s = await server.stats();
      expect(s.sessions.live).toBe(dealt.sessions.accepted);
      const held = clients.find((c) => !c.reset)!;
      expect(await echoOnce(held.socket, 'still here')).toBe('still here');
    } finally {
      closeAll(clients.map((c) => c.socket));
    }
    const after = await settle(server.stats, quiescent);
    expect(after.sessions.live).toBe(0);
    expect(after.ops.outstanding).toBe(0);
    expect(after.sessions.accepted).toBe(after.sessions.freed);
    expect(after.staleCompletions).toBe(0);
    const stop = await server.stop('SIGTERM', 5000);
    expect(stop.code).toBe(0);
  }, 60_000);
});
