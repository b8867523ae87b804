// --pipeline: with --msg-rate, one connection may have several frames in flight, sent on the
// schedule and verified in order. Against a server that holds every echo H = 20 ms, one
// connection with one frame in flight can carry at most 1000 / H = 50 msg/s, so 500 msg/s falls
// far short (and is warned about); with 32 in flight it can carry 1600 msg/s, three times the
// target, so the schedule is kept (>= 97%) even if a loaded machine holds it up for a moment.
// Every frame is verified either way, and no service time is below H.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFlood } from '../../src/client/flood.js';

const H_MS = 20;

function startHoldingEcho(): Promise<net.Server> {
  const server = net.createServer({ allowHalfOpen: true }, (c) => {
    c.setNoDelay(true);
    c.on('error', () => {});
    let ending = false;
    let held = 0;
    c.on('data', (d) => {
      held++;
      const due = performance.now() + H_MS;
      setTimeout(() => {
        while (performance.now() < due); // libuv's timers may fire up to 1 ms early
        c.write(d);
        if (--held === 0 && ending) c.end();
      }, H_MS - 1);
    });
    c.on('end', () => {
      ending = true;
      if (held === 0) c.end();
    });
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

describe('--pipeline', () => {
  let server: net.Server;
  beforeAll(async () => {
    server = await startHoldingEcho();
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const run = (pipeline: number) =>
    runFlood({
      target: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
      msgRate: 500, pipeline, durationMs: 1000, connections: 1, messages: 100_000, size: 64, workers: 0,
    }).result;

  it('one frame in flight: 50 msg/s at most, a shortfall warning, every frame verified', async () => {
    const r = await run(1);
    expect(r.verdict).toBe('PASS');
    expect(r.messages.achievedPerSec).toBeLessThan(100);
    expect(r.warnings).toEqual([expect.stringMatching(/^message rate fell short: /), expect.stringMatching(/^\d+ message\(s\) due by the schedule were never sent/)]);
    expect(r.messages.verified).toBe(r.messages.sent);
    expect(r.latencyUs.serviceTime!.min).toBeGreaterThanOrEqual(H_MS * 1000);
  }, 30_000);

  it('32 in flight: the schedule is kept, every frame verified in order', async () => {
    const r = await run(32);
    expect(r.verdict).toBe('PASS');
    expect(r.messages.achievedPerSec).toBeGreaterThanOrEqual(0.97 * 500);
    expect(r.warnings).toEqual([]);
    expect(r.messages.sent).toBe(500);
    expect(r.messages.verified).toBe(500);
    expect(r.faults.total).toBe(0);
    expect(r.latencyUs.serviceTime!.min).toBeGreaterThanOrEqual(H_MS * 1000);
  }, 30_000);
});
