// Connections that stall together are judged together (one sweep ends many of them while it
// walks the running set), and each is still counted exactly once.
import { afterEach, describe, expect, it } from 'vitest';
import { startEchoServer, type EchoServer } from '../helpers/faultyServers.js';
import { quickFlood } from '../helpers/floodRun.js';
import { TRANSPORTS } from '../helpers/transports.js';

describe.each(TRANSPORTS)('stalls judged in one sweep (%s transport)', (transport) => {
  let server: EchoServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('counts every connection once when a third of them stall at the same time', async () => {
    // Every third connection the server accepts stops echoing after its first chunk; all 60
    // are open at once, so their stall clocks run out within one or two sweeps.
    server = await startEchoServer({ fault: 'stall' });
    const r = await quickFlood(server.port, { mix: { graceful: 1 }, connections: 60, total: 60, transport });
    const c = r.connections;
    expect(c.started).toBe(60);
    expect(c.ok + c.faulted + c.errored + c.aborted).toBe(60);
    expect(c.errored).toBe(0);
    expect(c.aborted).toBe(0);
    // Every connection sends 2-4 messages, one at a time: each third one loses its second.
    expect(c.faulted).toBe(20);
    expect(c.ok).toBe(40);
    expect(r.faults.stalled).toBe(20);
    expect(r.verdict).toBe('FAIL');
  });
});
