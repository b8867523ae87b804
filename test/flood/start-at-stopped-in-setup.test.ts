// A flood stopped during its set-up, before its --start-at wait, does not announce a wait it
// will not make ("set up; waiting until ..." after "stopping"): no 'wait' event, and the run ends
// at once with nothing measured.
import { describe, expect, it } from 'vitest';
import { runFlood } from '../../src/client/flood.js';
import { useEchoServer } from '../helpers/faultyServers.js';

describe('--start-at and a stop during the set-up', () => {
  const server = useEchoServer();

  it('announces no wait', async () => {
    const run = runFlood({ target: `127.0.0.1:${server().port}`, connections: 2, messages: 4, startAt: Date.now() + 60_000, workers: 0 });
    const waits: unknown[] = [];
    run.on('wait', (w) => waits.push(w));
    run.stop(); // before the set-up (which begins on the next tick) has run
    const r = await run.result;
    expect(waits).toEqual([]);
    expect(r.connections.started).toBe(0);
    expect(r.reasons).toEqual(['stopped before any connection was opened: nothing was measured']);
  }, 30_000);
});
