// A graceful stop under load: drain, free every session, exit 0 within 5 s. Signals where the
// OS has them (on Windows, Node cannot deliver SIGTERM or Ctrl-C to a child: --duration there).
import { describe, expect, it } from 'vitest';
import { abuse } from '../helpers/abuse.js';
import { reached, settle, startServerProcess } from '../helpers/serverProcess.js';

type Stop = 'SIGTERM' | 'SIGINT' | '--duration';
const stops: Stop[] = process.platform === 'win32' ? ['--duration'] : ['SIGTERM', 'SIGINT', '--duration'];

describe('graceful stop under load', () => {
  it.each(stops)('%s drains and exits 0 within 5 s', async (stop) => {
    const byDuration = stop === '--duration';
    const server = await startServerProcess(byDuration ? ['--duration', '2s'] : []);
    // Keep the server busy with every kind of client, and stop it in the middle.
    const load = abuse({ port: server.port, perMode: 2000, perConnectionTimeoutMs: 10_000 });
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
  }, 60_000);
});
