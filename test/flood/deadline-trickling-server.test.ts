// A server that trickles its echoes (a byte at a time, never pausing for --timeout) keeps every
// echo progressing, so none is ever stalled: a run by time still ends --timeout after its
// deadline, the echoes still going then aborted (counted as aborted, not as faults). Idle holders
// are not echoing: they keep their --hold past that point.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/client/cli/report.js';
import { runFlood } from '../../src/client/flood.js';

const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();

/** Echoes one byte every `everyMs`, and its FIN once everything is out. */
async function trickleEcho(everyMs: number): Promise<number> {
  const server = net.createServer((socket) => {
    sockets.add(socket);
    const queue: number[] = [];
    let ended = false;
    const timer = setInterval(() => {
      if (queue.length) socket.write(Buffer.from([queue.shift()!]));
      else if (ended) socket.end();
    }, everyMs);
    socket.on('data', (d) => queue.push(...d));
    socket.on('end', () => (ended = true));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      sockets.delete(socket);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/** A plain echo server. */
async function echo(): Promise<number> {
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.pipe(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

describe('a run by time, the server trickling its echoes', () => {
  afterEach(async () => {
    for (const s of sockets) s.destroy();
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it('ends --timeout after its deadline, the echoes still going aborted', async () => {
    const port = await trickleEcho(50); // a 64-byte echo takes 3.2 s, progressing every 50 ms
    const r = await runFlood({
      target: `127.0.0.1:${port}`, durationMs: 500, timeoutMs: 1000, connections: 2, size: 64,
      messages: { min: 1, max: 1 }, mix: { graceful: 1 }, workers: 0,
    }).result;
    expect(r.connections.aborted).toBe(2);
    expect(r.faults.total).toBe(0);
    expect(r.messages.verified).toBe(0);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(1400);
    expect(r.elapsedMs).toBeLessThan(2500);
    expect(renderReport(r)).toContain('2 connection(s) still echoing 1s (--timeout) after the deadline were aborted');
  }, 30_000);

  it('idle holders keep their --hold past that point', async () => {
    const port = await echo();
    const r = await runFlood({
      target: `127.0.0.1:${port}`, durationMs: 300, timeoutMs: 500, connections: 2, total: 2,
      mix: { idle: 1 }, idleHoldMs: { min: 2000, max: 2000 }, workers: 0,
    }).result;
    expect(r.connections.aborted).toBe(0);
    expect(r.connections.ok).toBe(2);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(2000);
  }, 30_000);
});
