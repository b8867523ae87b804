// --idle-timeout resets sessions that stay silent longer than it.
import { describe, expect, it } from 'vitest';
import { closedWithin } from '../helpers/holders.js';
import { quiescent, settle, startServerProcess } from '../helpers/serverProcess.js';

describe('server idle timeout', () => {
  it('resets sessions idle longer than --idle-timeout', async () => {
    const server = await startServerProcess(['--idle-timeout', '300ms']);
    try {
      const t0 = Date.now();
      expect(await closedWithin(server.port, 5000)).toBe('reset');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
      const s = await settle(server.stats, quiescent);
      expect(s.extra.idleClosed).toBe(1);
      expect(s.sessions.freed).toBe(1);
    } finally {
      await server.stop('SIGKILL');
    }
  });
});
