// A round trip starts just before the call that sends the frame, never after it returns: against
// a server that holds every echo exactly D ms, no recorded round trip is below D, on every
// transport. (Measured after the call, a loopback send could have the answer queued already:
// round trips of a few µs were reported.) The median is within 25% of D, which still tells a round
// trip timed from the wrong moment (2 D and more): measured at 1.05-1.07 D with the machine's load
// at 6 on its 2 cores, up to 1.13 D at 7, and 1.11-1.13 D unloaded on a slow phase of this VM (the
// holding server's timers, in the test's own process, late too); a run may be retried twice.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { TRANSPORTS } from '../helpers/transports.js';

const D_MS = 5;

/** Echoes each chunk exactly D ms after it arrived: a timer, then a short spin to the exact moment. */
function startHoldingEcho(): Promise<net.Server> {
  const server = net.createServer((c) => {
    c.setNoDelay(true);
    c.on('error', () => {});
    c.on('data', (d) => {
      const due = performance.now() + D_MS;
      setTimeout(() => {
        while (performance.now() < due); // libuv's timers may fire up to 1 ms early
        c.write(d);
      }, D_MS - 1);
    });
    c.on('end', () => c.end());
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

describe('round trips start before the send', () => {
  let server: net.Server;
  beforeAll(async () => {
    server = await startHoldingEcho();
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it.each(TRANSPORTS)('%s: every round trip >= D', async (transport) => {
    const port = (server.address() as net.AddressInfo).port;
    const r = await runCliProcess([
      'flood', `127.0.0.1:${port}`, '-c', '1', '-n', '1', '--messages', '200', '--size', '64', '--mix', 'graceful',
      '--transport', transport, '--workers', '0', '--json', '--no-progress',
    ], 60_000);
    expect(r.code, r.stderr).toBe(0);
    const rtt = JSON.parse(r.stdout).latencyUs.roundTrip;
    expect(rtt.count).toBe(200);
    expect(rtt.min).toBeGreaterThanOrEqual(D_MS * 1000);
    // On Windows a timer waits for the system clock's tick (about 15.6 ms unless some process has
    // raised its rate): the holding server's D ms there is one tick or more, so only the floor holds.
    if (process.platform !== 'win32') expect(rtt.p50).toBeLessThanOrEqual(D_MS * 1250);
  }, { timeout: 90_000, retry: 2 });
});
