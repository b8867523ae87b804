// The leak check refuses stats that are not the target's: a server on this machine listening on
// another port is told at once; one whose counters did not see the connections that reached the
// target is told once the settle wait runs out. Either way the leak status is `error`, never
// `clean`, and the result does not take that server's backend and lifetime for the target's. The
// right server's stats, for contrast, come out clean and name them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFlood } from '../../src/client/flood.js';
import { startEchoServer, type EchoServer } from '../helpers/faultyServers.js';

describe('stats of another server', () => {
  let target: EchoServer;
  let other: EchoServer;
  beforeAll(async () => {
    target = await startEchoServer();
    other = await startEchoServer();
  });
  afterAll(async () => {
    await target.close();
    await other.close();
  });

  const flood = (stats: () => ReturnType<EchoServer['stats']>) =>
    runFlood({ target: `127.0.0.1:${target.port}`, stats, total: 50, connections: 10, workers: 0, seed: 1, settleTimeoutMs: 1000 }).result;

  it("the target's own stats: clean", async () => {
    const r = await flood(() => target.stats());
    expect(r.leak.status).toBe('clean');
    expect(r.verdict).toBe('PASS');
    expect(r.target).toMatchObject({ backend: 'node', lifetime: 'refcount' });
  });

  it('a server on another port: error at once, FAIL', async () => {
    const r = await flood(() => other.stats());
    expect(r.leak.status).toBe('error');
    expect(r.leak.reasons).toEqual([`these stats are not the target's: that server listens on port ${other.port}, the flood's target is port ${target.port}`]);
    expect(r.leak.settleMs).toBe(0);
    expect(r.verdict).toBe('FAIL');
    expect(r.target).toMatchObject({ backend: null, lifetime: null });
  });

  it('counters that never saw the connections: error after the settle wait, FAIL', async () => {
    // Another server's counters, relabelled with the target's port: only the counts can tell.
    const frozen = { ...other.stats(), listen: { host: '127.0.0.1', port: target.port } };
    const r = await flood(() => frozen);
    expect(r.leak.status).toBe('error');
    expect(r.leak.reasons[0]).toMatch(/^these stats are not the target's: that server saw 0 new connection\(s\), \d+ reached the target$/);
    expect(r.verdict).toBe('FAIL');
    expect(r.target).toMatchObject({ backend: null, lifetime: null });
  });
});
