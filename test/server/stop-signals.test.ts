// Every stop signal drains; a second one during the stop ends the process at once with what was
// left: SIGHUP stops like SIGTERM (stopping, stopped, exit 0), and a signal (another one, or the
// same one again) that arrives while the stop runs prints a "stopped" line (not drained,
// abandoned) and exits 1. Linux signals.
import { describe, expect, it } from 'vitest';
import { closeAll, openIdle } from '../helpers/holders.js';
import { secondSignalDuringStop, settle, startServerProcess } from '../helpers/serverProcess.js';

type Line = { event: string; reason?: string; drained?: boolean; abandoned?: string };
const events = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l) as Line);

// POSIX signals: on Windows Node can send a child none of them (kill() there is TerminateProcess).
describe.skipIf(process.platform === 'win32')('server stop signals', () => {
  it('SIGHUP drains like SIGTERM and exits 0', async () => {
    const server = await startServerProcess([]);
    const { code } = await server.stop('SIGHUP', 10_000);
    expect(code).toBe(0);
    const lines = events(server.stdout());
    expect(lines.map((l) => l.event)).toEqual(['listening', 'stopping', 'stopped']);
    expect(lines[1]!.reason).toBe('signal SIGHUP');
    expect(lines[2]!.drained).toBe(true);
  });

  it('a second signal during the stop exits 1 at once with what was left', async () => {
    const server = await startServerProcess([]);
    const code = await secondSignalDuringStop(server);
    expect(code).toBe(1);
    const lines = events(server.stdout());
    expect(lines.map((l) => l.event)).toEqual(['listening', 'stopping', 'stopped']);
    expect(lines[2]).toMatchObject({ drained: false, abandoned: expect.stringMatching(/^SIG(INT|TERM) during the stop$/) });
    expect(server.stderr()).toMatch(/^iocp-bench server: SIG(INT|TERM) during the stop \(stuck [a-z ]+: \d+ sessions live, \d+ operations outstanding\); exiting\n$/);
  });

  it('a second signal while 3,000 sessions are being closed exits 1 at once', async () => {
    const server = await startServerProcess([]);
    const held = await openIdle(server.port, 3000);
    try {
      await settle(server.stats, (s) => s.sessions.live === 3000);
      // Closing and draining 3,000 sessions takes tens to hundreds of ms: the second signal, sent
      // as soon as the "stopping" line is out, lands during it. It is another signal (SIGINT):
      // the same one again this soon would be taken for a repeat of the first (signals.ts, as
      // timeout(1) sends it twice; unit-tested there).
      server.child.kill('SIGTERM');
      const until = Date.now() + 5000;
      while (!server.stdout().includes('"stopping"') && Date.now() < until) await new Promise((r) => setTimeout(r, 2));
      server.child.kill('SIGINT');
      const { code } = await server.stop(null, 10_000);
      expect(code).toBe(1);
      const lines = events(server.stdout());
      expect(lines.map((l) => l.event)).toEqual(['listening', 'stopping', 'stopped']);
      expect(lines[2]).toMatchObject({ reason: 'signal SIGTERM', drained: false, abandoned: 'SIGINT during the stop' });
    } finally {
      closeAll(held);
    }
  });
});
