// --max-sessions resets connections beyond the limit and counts them; --idle-timeout resets
// sessions that stay silent.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closeAll, openIdle } from '../helpers/holders.js';
import { quiescent, settle, startServerProcess } from '../helpers/serverProcess.js';

function closedWithin(port: number, ms: number): Promise<'reset' | 'eof' | 'open'> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    const t = setTimeout(() => (s.destroy(), resolve('open')), ms);
    s.on('error', () => (clearTimeout(t), resolve('reset')));
    s.on('end', () => (clearTimeout(t), s.destroy(), resolve('eof')));
  });
}

describe('server limits', () => {
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
