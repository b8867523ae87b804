// --max-sessions resets connections beyond the limit and counts them as rejected.
import { describe, expect, it } from 'vitest';
import { closeAll, closedWithin, openIdle } from '../helpers/holders.js';
import { quiescent, settle, startServerProcess } from '../helpers/serverProcess.js';

describe('server session limit', () => {
  it('rejects connections beyond --max-sessions with a reset', async () => {
    const server = await startServerProcess(['--max-sessions', '10']);
    try {
      const held = await openIdle(server.port, 10, 10);
      await settle(server.stats, (s) => s.sessions.live === 10);
      expect(await closedWithin(server.port, 3000)).toBe('reset');
      const s = await settle(server.stats, (x) => x.sessions.rejected === 1);
      expect(s.sessions.rejected).toBe(1);
      expect(s.sessions.live).toBe(10);
      closeAll(held);
      const end = await settle(server.stats, quiescent);
      expect(end.sessions.freed).toBe(10);
    } finally {
      await server.stop('SIGKILL');
    }
  });
});
