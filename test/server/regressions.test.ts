// Bugs found and fixed, each pinned by a test.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { quiescent, settle, useServerProcess } from '../helpers/serverProcess.js';

describe('regressions', () => {
  const server = useServerProcess([]);

  // Edge-triggered receive: data and FIN arriving together gave one edge; the receive that took
  // the data completed short, and the FIN behind it was never read, so the server never closed.
  it('sees a FIN that arrives right behind the data (end(data))', async () => {
    const payload = Buffer.alloc(3000, 7);
    const one = () =>
      new Promise<number>((resolve) => {
        let got = 0;
        const s = connect({ host: '127.0.0.1', port: server().port, allowHalfOpen: true });
        const t = setTimeout(() => (s.destroy(), resolve(-1)), 10_000);
        s.on('connect', () => s.end(payload));
        s.on('data', (c: Buffer) => (got += c.length));
        s.on('end', () => (clearTimeout(t), s.destroy(), resolve(got)));
        s.on('error', () => (clearTimeout(t), resolve(-2)));
      });
    const results: number[] = [];
    for (let round = 0; round < 10; round++) results.push(...(await Promise.all(Array.from({ length: 100 }, one))));
    expect(results.filter((n) => n !== payload.length)).toEqual([]);
    const s = await settle(server().stats, quiescent);
    expect(s.sessions.freed).toBe(1000);
  });

  // Edge-triggered receive: an edge for a socket already closed (slot freed, maybe reused) was
  // reported as a stale completion, and counted as completed without a post.
  it('never reports an edge of a closed socket as a completion', async () => {
    const s = await settle(server().stats, quiescent);
    expect(s.staleCompletions).toBe(0);
    expect(s.ops.outstanding).toBe(0);
    expect(s.ops.posted).toBe(s.ops.completed);
  });
});
