// --source binds a shard's connections to several local addresses, round robin by connection id,
// on every transport: the server sees peers from each of them. A source of the wrong address
// family, or a range too large, is a usage error.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { TRANSPORTS } from '../helpers/transports.js';

describe.skipIf(process.platform !== 'linux')('flood --source', () => {
  // A plain Node echo server that notes each peer's address.
  const peers = new Map<string, number>();
  let server: net.Server;
  let port = 0;
  beforeAll(async () => {
    server = net.createServer((s) => {
      const a = s.remoteAddress ?? '?';
      peers.set(a, (peers.get(a) ?? 0) + 1);
      s.on('error', () => undefined);
      s.pipe(s);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  for (const transport of TRANSPORTS) {
    it(`spreads a shard's connections over both addresses (${transport})`, async () => {
      peers.clear();
      const r = await runCliProcess([
        'flood', `127.0.0.1:${port}`, '--shard', '2/3', '--seed', '5', '-c', '30', '-n', '60', '--mix', 'graceful',
        '--messages', '2', '--source', '127.0.0.2,127.0.0.3', '--transport', transport, '--json', '--no-progress',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const result = JSON.parse(r.stdout);
      expect(result.connections.ok).toBe(20);
      expect(result.options.sources).toEqual({ count: 2, addresses: ['127.0.0.2', '127.0.0.3'] });
      // Shard 2/3 runs ids 1, 4, 7, ...: odd and even ids alternate, so each address gets 10.
      expect(Object.fromEntries(peers)).toEqual({ '127.0.0.2': 10, '127.0.0.3': 10 });
    });
  }

  it('refuses a source of the other address family and a range over 65536 addresses', async () => {
    const family = await runCliProcess(['flood', `127.0.0.1:${port}`, '--source', '::1', '--no-progress']);
    expect(family.code).toBe(2);
    expect(family.stderr.trim()).toBe('iocp-bench: --source: an IPv6 address cannot reach the IPv4 target 127.0.0.1 (got "::1")');
    const range = await runCliProcess(['flood', `127.0.0.1:${port}`, '--source', '127.0.0.1-127.1.0.1', '--no-progress']);
    expect(range.code).toBe(2);
    expect(range.stderr.trim()).toMatch(/^iocp-bench: --source: a range may hold at most 65536 addresses \(got "127\.0\.0\.1-127\.1\.0\.1"\)$/);
  });
});
