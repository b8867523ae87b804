// Under Wine: a graceful stop (Ctrl-C, or --duration) under load drains and exits 0; the wrong
// backend for the platform is a one-line error.
import { afterAll, describe, expect, it } from 'vitest';
import { abuse } from '../helpers/abuse.js';
import { reached, settle } from '../helpers/serverProcess.js';
import { killWineServer, runWineNode } from './wine.js';
import { startWineServer } from './wineServer.js';

describe('iocp backend under Wine: stopping', () => {
  afterAll(() => killWineServer());

  it('Ctrl-C under load drains every session and exits 0', async () => {
    const server = await startWineServer(['--backend', 'iocp']);
    const load = abuse({ port: server.port, perMode: 400, concurrency: 100, floodBytes: 1 << 20, perConnectionTimeoutMs: 10_000 });
    const before = await settle(server.stats, (s) => reached(s) >= 100);
    expect(before.sessions.accepted).toBeGreaterThan(0);
    const code = await server.interrupt(30_000);
    await load;
    expect(code).toBe(0);
    const stopped = JSON.parse(server.proc.lines().filter((l) => l.includes('"stopped"')).pop()!);
    expect(stopped.drained).toBe(true);
    expect(stopped.stats.sessions.live).toBe(0);
    expect(stopped.stats.ops.outstanding).toBe(0);
    expect(stopped.stats.sessions.accepted).toBe(stopped.stats.sessions.freed);
    expect(stopped.stats.staleCompletions).toBe(0);
    expect(stopped.stats.extra.acceptPending).toBe(0);
  });

  it('--duration stops by itself with exit 0', async () => {
    const server = await startWineServer(['--backend', 'iocp', '--duration', '3s']);
    const r = await abuse({ port: server.port, perMode: 30, modes: ['echo'] });
    expect(r.verified).toBe(30);
    const { code } = await server.proc.waitForExit(30_000);
    expect(code).toBe(0);
  });

  it('--backend epoll on Windows fails with one line and exit 1', async () => {
    const r = await runWineNode('bin/iocp-bench.js', { args: ['server', '--backend', 'epoll', '--port', '0'], timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('iocp-bench: --backend epoll needs Linux; this is win32');
  });
});
