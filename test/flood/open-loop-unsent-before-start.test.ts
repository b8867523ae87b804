// An open-loop flood stopped while it waits for --start-at sent nothing because nothing ran: none
// of its schedule counts as unsent (the wait is not time the schedule ran), no rate fell short of
// its target (none was running), and the only reason given is that nothing was measured.
import { describe, expect, it } from 'vitest';
import { runFlood } from '../../src/client/flood.js';
import { useEchoServer } from '../helpers/faultyServers.js';

describe('open loop stopped before its start', () => {
  const server = useEchoServer();

  it('counts nothing unsent', async () => {
    const run = runFlood({ target: `127.0.0.1:${server().port}`, msgRate: 10_000, rate: 100, durationMs: 2000, connections: 4, startAt: Date.now() + 10_000, workers: 0 });
    // Stopped half a second into the wait: 5,000 messages' worth of schedule, had it been running.
    run.on('wait', () => setTimeout(() => run.stop(), 500));
    const r = await run.result;
    expect(r.connections.started).toBe(0);
    expect(r.messages.unsent).toBe(0);
    expect(r.warnings).toEqual([]);
    expect(r.reasons).toEqual(['stopped before any connection was opened: nothing was measured']);
  }, 30_000);
});
