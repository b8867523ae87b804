// The edge-triggered receive reports exactly what happened to each socket: a FIN right behind the
// data is read, and an edge of a socket already closed is never a completion.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { abuse } from '../helpers/abuse.js';
import { drained, quiescent, settle, startServerProcess, type ServerProcess } from '../helpers/serverProcess.js';

/**
 * Clients that send `payload` and their FIN together (end(data)), 100 at a time; each resolves
 * with the bytes echoed before the server's FIN.
 */
async function endWithData(port: number, payload: Buffer, rounds: number): Promise<number[]> {
  const one = () =>
    new Promise<number>((resolve) => {
      let got = 0;
      const s = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
      const t = setTimeout(() => (s.destroy(), resolve(-1)), 10_000);
      s.on('connect', () => s.end(payload));
      s.on('data', (c: Buffer) => (got += c.length));
      s.on('end', () => (clearTimeout(t), s.destroy(), resolve(got)));
      s.on('error', () => (clearTimeout(t), resolve(-2)));
    });
  const results: number[] = [];
  for (let round = 0; round < rounds; round++) results.push(...(await Promise.all(Array.from({ length: 100 }, one))));
  return results;
}

/** Runs `body` against a server of its own, killed afterwards. */
async function withServer(body: (server: ServerProcess) => Promise<void>): Promise<void> {
  const server = await startServerProcess([]);
  try {
    await body(server);
  } finally {
    await server.stop('SIGKILL');
  }
}

describe('regressions', () => {
  // Edge-triggered receive: data and FIN arriving together gave one edge; the receive that took
  // the data completed short, and the FIN behind it was never read, so the server never closed.
  it('sees a FIN that arrives right behind the data (end(data))', () =>
    withServer(async (server) => {
      const payload = Buffer.alloc(3000, 7);
      const results = await endWithData(server.port, payload, 10);
      expect(results.filter((n) => n !== payload.length)).toEqual([]);
      const s = await settle(server.stats, drained(1000));
      expect(s.sessions.freed).toBe(1000);
    }));

  // Edge-triggered receive: an edge for a socket already closed (slot freed, maybe reused) was
  // reported as a stale completion, and counted as completed without a post.
  it('never reports an edge of a closed socket as a completion', () =>
    withServer(async (server) => {
      // Sockets that close while their edges are still coming: data and FIN together, and
      // clients that reset with data in flight or with the server's send pending.
      await endWithData(server.port, Buffer.alloc(3000, 7), 5);
      await abuse({ port: server.port, perMode: 200, modes: ['connect-rst', 'send-rst', 'flood-rst'] });
      const s = await settle(server.stats, drained(500 + 600));
      expect(quiescent(s)).toBe(true);
      expect(s.sessions.freed).toBe(1100);
      expect(s.staleCompletions).toBe(0);
      expect(s.ops.outstanding).toBe(0);
      expect(s.ops.posted).toBe(s.ops.completed);
    }));
});
