// --stop-timeout bounds a stop, which announces itself with a "stopping" line: within it, a
// "stopped" line and exit 0; beyond it, one line on stderr, a "stopped" line saying what was
// left (not drained, abandoned) and exit 1.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { LAUNCHER } from '../helpers/serverLaunchers.js';

describe(`server stop timeout${LAUNCHER.label}`, () => {
  it('a stop longer than --stop-timeout exits 1 with one line and what was left', async () => {
    // 1 ms: closing a connected session, draining it and joining five workers takes longer.
    const server = await LAUNCHER.start(['--duration', '1s', '--stop-timeout', '1ms']);
    const client = connect(server.port, '127.0.0.1');
    client.on('error', () => {});
    await new Promise<void>((r) => client.once('connect', () => r()));
    const { code } = await server.stop(null, 15_000);
    client.destroy();
    expect(code).toBe(1);
    const lines = server.stdout().trim().split('\n').map((l) => JSON.parse(l) as { event: string; sessions?: number; drained?: boolean; abandoned?: string });
    expect(lines.map((l) => l.event)).toEqual(['listening', 'stopping', 'stopped']);
    expect(lines[1].sessions).toBe(1);
    expect(lines[2]).toMatchObject({ drained: false, abandoned: 'the stop did not finish within 1ms' });
    expect(server.stderr().trim()).toMatch(
      /^iocp-bench server: the stop did not finish within 1ms \(stuck (draining sessions|joining workers|terminating workers|closing the backend|closing the stats endpoint): \d+ sessions live, \d+ operations outstanding\); exiting$/,
    );
  });

  it('a stop within --stop-timeout exits 0 after "stopping" and "stopped"', async () => {
    // Sessions within any machine's descriptor limit: no start-up warning on stderr either.
    const server = await LAUNCHER.start(['--duration', '500ms', '--stop-timeout', '10s', '--max-sessions', '100']);
    const { code } = await server.stop(null, 15_000);
    expect(code).toBe(0);
    const events = server.stdout().trim().split('\n').map((l) => (JSON.parse(l) as { event: string }).event);
    expect(events).toEqual(['listening', 'stopping', 'stopped']);
    expect(server.stderr()).toBe('');
  });
});
