// A target named by host name is looked up once per client thread on the net transport, not once
// per connection: 40 connections to localhost make one lookup, and all of them connect.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetTransport } from '../../src/client/transport/netTransport.js';
import type { ClientSocket } from '../../src/client/transport/transport.js';

describe('net transport, a target by name', () => {
  let server: net.Server;
  beforeAll(async () => {
    server = net.createServer((c) => c.on('error', () => {}));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('looks the name up once for all its connections', async () => {
    const t = new NetTransport('localhost', (server.address() as net.AddressInfo).port);
    const sockets: ClientSocket[] = [];
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, id) =>
        new Promise<string>((resolve) => {
          const timer = setTimeout(() => resolve('timed out'), 10_000);
          const done = (what: string) => (clearTimeout(timer), resolve(what));
          sockets.push(t.connect({ onConnect: () => done('connected'), onBytes: () => {}, onEnd: () => {}, onError: (code) => done(code), onClose: () => {} }, id));
        }),
      ),
    );
    for (const s of sockets) s.destroy();
    // localhost may be ::1 first, where nothing listens: Node then tries the next address.
    expect(outcomes).toEqual(outcomes.map(() => 'connected'));
    expect(t.lookups).toBe(1);
  });
});
