// 10,000 concurrent idle connections are held, and the memory each costs is measured.
import { describe, expect, it } from 'vitest';
import { closeAll, openIdle } from '../helpers/holders.js';
import { quiescent, settle, useServerProcess } from '../helpers/serverProcess.js';

const N = 10_000;

describe('10,000 idle sessions', () => {
  const server = useServerProcess(['--max-sessions', String(N)]);

  it('holds them all, then frees them all', async () => {
    // Warm up the workers and the allocator before the baseline.
    closeAll(await openIdle(server().port, 100));
    await settle(server().stats, quiescent);
    const before = await server().rss();
    const sockets = await openIdle(server().port, N);
    try {
      const s = await settle(server().stats, (x) => x.sessions.live === N, 20_000);
      expect(s.sessions.live).toBe(N);
      expect(s.sessions.rejected).toBe(0);
      const perSession = (await server().rss() - before) / N;
      console.log(`resident memory per idle session: ${(perSession / 1024).toFixed(2)} KiB`);
      expect(perSession).toBeLessThan(64 * 1024);
    } finally {
      closeAll(sockets);
    }
    const end = await settle(server().stats, quiescent, 20_000);
    expect(end.sessions.live).toBe(0);
    expect(end.sessions.accepted).toBe(end.sessions.freed);
    expect(end.staleCompletions).toBe(0);
  }, 120_000);
});
