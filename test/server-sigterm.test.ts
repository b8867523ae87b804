// SIGTERM (and --duration) under load: drain, free every session, exit 0 within 5 s.
import { describe, expect, it } from 'vitest';
import { abuse } from './helpers/abuse.js';
import { startServerProcess } from './helpers/serverProcess.js';

describe('graceful stop under load', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s drains and exits 0 within 5 s', async (signal) => {
    const server = await startServerProcess(['--backend', 'auto']);
    // Keep the server busy with every kind of client, and stop it in the middle.
    const load = abuse({ port: server.port, perMode: 2000, perConnectionTimeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 700));
    const before = await server.stats();
    expect(before.sessions.accepted).toBeGreaterThan(0);
    const { code, ms } = await server.stop(signal, 10_000);
    await load;
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);
    const stopped = JSON.parse(server.stdout().trim().split('\n').pop()!);
    expect(stopped.event).toBe('stopped');
    expect(stopped.drained).toBe(true);
    expect(stopped.stats.sessions.live).toBe(0);
    expect(stopped.stats.ops.outstanding).toBe(0);
    expect(stopped.stats.sessions.accepted).toBe(stopped.stats.sessions.freed);
    expect(stopped.stats.staleCompletions).toBe(0);
  }, 60_000);

  it('--duration serves, then drains and exits 0', async () => {
    const server = await startServerProcess(['--duration', '1500ms']);
    const r = await abuse({ port: server.port, perMode: 50, modes: ['echo'] });
    expect(r.verified).toBe(50);
    const { code } = await server.stop('SIGCONT' as NodeJS.Signals, 10_000);
    expect(code).toBe(0);
    expect(server.stdout()).toContain('"reason":"duration"');
  });
});
