// --rate over several client threads: the threads take turns, one connection at a time, rather
// than each opening its first at the start and then keeping its own pace. --rate 5 on two threads
// opens a connection every 200 ms, not two every 400 ms.
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runFlood } from '../../src/client/flood.js';

let server: net.Server;
const accepted: number[] = [];

beforeAll(async () => {
  server = net.createServer((c) => {
    accepted.push(performance.now());
    c.on('error', () => {});
    c.on('data', (d) => c.write(d));
    c.on('end', () => c.end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

it('--rate 5 on two threads: the connections come about 200 ms apart', async () => {
  const port = (server.address() as net.AddressInfo).port;
  const r = await runFlood({
    target: `127.0.0.1:${port}`, connections: 4, total: 4, rate: 5, workers: 2, mix: { graceful: 1 }, messages: 1, seed: 3,
  }).result;
  expect(r.verdict).toBe('PASS');
  expect(r.options.workers).toBe(2);
  expect(accepted).toHaveLength(4);
  const gaps = accepted.slice(1).map((t, i) => t - accepted[i]!);
  // Interleaved: every gap near 200 ms. Each thread on its own pace: two gaps near 0, one near 400.
  for (const gap of gaps) expect(gap).toBeGreaterThan(100);
  // The pace holds, so the achieved rate is the one asked, with no shortfall warning.
  expect(r.warnings).toEqual([]);
}, 30_000);
