// A closed loop stops opening connections at its --duration deadline, whatever the server does:
// against one that stopped answering, no connection is opened after it (only the open loop keeps
// sending what its schedule had due, behind a stalled server: open-loop-deadline-backlog.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { runFlood } from '../../src/client/flood.js';
import { startFreezingEcho, type FreezingEcho } from '../helpers/freezingEcho.js';

const servers: FreezingEcho[] = [];

describe('closed loop at the deadline, the server frozen', () => {
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('opens no connection after the deadline', async () => {
    const server = await startFreezingEcho(300, Infinity);
    servers.push(server);
    const r = await runFlood({
      target: `127.0.0.1:${server.port}`, durationMs: 1000, connections: 10, timeoutMs: 1000, intervalMs: 250,
      mix: { graceful: 1 }, messages: { min: 1000, max: 1000 }, workers: 0,
    }).result;
    const after = r.samples.filter((s) => s.elapsedMs - s.intervalMs >= 1000);
    expect(after.length).toBeGreaterThan(0); // the stalled connections' tail
    expect(after.map((s) => s.connections.opened)).toEqual(after.map(() => 0));
  }, 30_000);
});
