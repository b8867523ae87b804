// A graceful stop under load (a signal where the server's OS takes one from a test, or the end of
// --duration) drains, frees every session and exits 0 within 5 s.
import { describe, expect, it } from 'vitest';
import { abuse } from '../helpers/abuse.js';
import { LAUNCHER } from '../helpers/serverLaunchers.js';
import { reached, settle } from '../helpers/serverProcess.js';

type Stop = NodeJS.Signals | '--duration';
// Under Wine only SIGINT (as Ctrl-C); on Windows itself, Node cannot deliver either to a child.
const stops: Stop[] = [...LAUNCHER.stopSignals, '--duration'];

describe(`graceful stop under load${LAUNCHER.label}`, () => {
  it.each(stops)('%s drains and exits 0 within 5 s', async (stop) => {
    const byDuration = stop === '--duration';
    const server = await LAUNCHER.start(byDuration ? ['--duration', '2s'] : []);
    try {
      // Keep the server busy with every kind of client, and stop it in the middle.
      const load = abuse({ port: server.port, perMode: LAUNCHER.size(2000), perConnectionTimeoutMs: 10_000 });
      // The load runs many times longer than it takes to reach this.
      const before = await settle(server.stats, (s) => reached(s) >= 100);
      expect(before.sessions.accepted).toBeGreaterThan(0);
      const { code, ms } = await server.stop(byDuration ? null : stop, 10_000);
      await load;
      expect(code).toBe(0);
      // From the signal, or from the wait (the end of --duration is 2 s after start, at most).
      expect(ms).toBeLessThan(byDuration ? 6000 : 5000);
      const stopped = JSON.parse(server.stdout().trim().split('\n').pop()!);
      expect(stopped.event).toBe('stopped');
      expect(stopped.reason).toBe(byDuration ? 'duration' : `signal ${stop}`);
      expect(stopped.drained).toBe(true);
      expect(stopped.stats.sessions.live).toBe(0);
      expect(stopped.stats.ops.outstanding).toBe(0);
      expect(stopped.stats.sessions.accepted).toBe(stopped.stats.sessions.freed);
      expect(stopped.stats.staleCompletions).toBe(0);
      // IOCP: every AcceptEx of the pool completed (cancelled) before the exit.
      expect(stopped.stats.extra.acceptPending).toBe(0);
    } finally {
      await server.stop('SIGKILL');
    }
  });
});
