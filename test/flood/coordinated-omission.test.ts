// Coordinated omission, shown: a server that stops echoing for F = 1 s, 1 s after the first
// connection arrives, is flooded twice.
//
// Open loop (--msg-rate 1000, -c 10, -n 10 --messages 400: N = 4000 messages over about 4 s,
// --pipeline 1). The schedule keeps going through the freeze: about 1000 messages are due during
// it. Ten of them go out at once (one in flight per connection) and wait out the freeze; the other
// ~990 find no connection that can take them and wait, late, until the echoes come back. The one
// due at freeze + x (x < F) is verified about F - x after its intended time, so about 500 messages
// (12% of N, against the 1% a p99 needs) have a corrected round trip of at least 500 ms: p99 is
// near F. Their service time (from the call that sent them, after the freeze) is an ordinary echo;
// only the ten frames caught in flight (0.25% of N, under the 1% of a p99) took F, so the
// service-time p99 stays an ordinary echo too; their max shows the freeze.
//
// Closed loop (-c 10 for 3 s): each connection waits for its echo before it sends again, so during
// the freeze the client sends nothing; again at most ten frames (one per connection) take F, among
// the thousands a 3 s closed-loop run echoes (at least 2000 are asserted: 1000 a second, far below
// what even a loaded machine does), so its p99 is an ordinary echo and only its max shows the
// freeze. The bounds asserted (p99 >= 500 ms; p99 < 250 ms; max >= 900 ms) leave each side a wide
// margin.
import { afterEach, describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { startFreezingEcho, type FreezingEcho } from '../helpers/freezingEcho.js';

async function flood(args: string[]) {
  const server = await startFreezingEcho(1000, 1000);
  servers.push(server);
  const r = await runCliProcess(['flood', `127.0.0.1:${server.port}`, '--size', '64', '--workers', '1', '--json', '--no-progress', ...args], 60_000);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

const servers: FreezingEcho[] = [];

describe('coordinated omission', () => {
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('open loop: the corrected round trip shows the freeze at p99, the service time does not', async () => {
    const r = await flood(['--msg-rate', '1000', '-c', '10', '-n', '10', '--messages', '400']);
    expect(r.verdict).toBe('PASS');
    expect(r.messages.verified).toBe(4000);
    const { roundTrip, serviceTime } = r.latencyUs;
    expect(roundTrip.count).toBe(4000);
    expect(serviceTime.count).toBe(4000);
    expect(roundTrip.p99).toBeGreaterThanOrEqual(500_000);
    expect(serviceTime.p99).toBeLessThan(250_000);
    expect(serviceTime.max).toBeGreaterThanOrEqual(900_000); // the frames caught in flight
  }, 90_000);

  it('closed loop: the freeze shows only in the max, not in p99', async () => {
    const r = await flood(['-c', '10', '-d', '3s', '--messages', '50', '--mix', 'graceful']);
    expect(r.verdict).toBe('PASS');
    const rt = r.latencyUs.roundTrip;
    expect(r.latencyUs.serviceTime).toBeNull();
    expect(rt.count).toBeGreaterThanOrEqual(2000);
    expect(rt.max).toBeGreaterThanOrEqual(900_000);
    expect(rt.p99).toBeLessThan(250_000);
  }, 90_000);
});
