// An interval sample's server counters are read at its boundary, as the client's parts are taken:
// at the end of a --duration (which falls on a boundary) the client still counts its connections
// open, and the embedded server's counters must show them too. Read when the parts arrived, a few
// ms later, they showed the server already done with every one of them (live 0 beside active 50).
import { expect, it } from 'vitest';
import { runFlood } from '../../src/client/flood.js';

it('the sample at the end of the duration shows the server with the connections the client counts', async () => {
  const r = await runFlood({ durationMs: 2000, connections: 50, msgRate: 2000, intervalMs: 1000, seed: 5 }).result;
  expect(r.verdict).toBe('PASS');
  const atEnd = r.samples.find((s) => s.elapsedMs === 2000)!;
  expect(atEnd, JSON.stringify(r.samples.map((s) => s.elapsedMs))).toBeDefined();
  expect(atEnd.connections.active).toBeGreaterThanOrEqual(40);
  expect(atEnd.server!.live, `client active ${atEnd.connections.active}`).toBeGreaterThanOrEqual(atEnd.connections.active / 2);
  // The last sample, at the run's end, reads the server then (it may still be freeing the last
  // sessions the client saw end): at most what it held at the boundary.
  const last = r.samples.at(-1)!;
  expect(last.elapsedMs).toBeGreaterThan(2000);
  expect(last.connections.active).toBe(0);
  expect(last.server!.live).toBeLessThanOrEqual(atEnd.server!.live);
  expect(last.server!.accepted).toBeGreaterThanOrEqual(atEnd.server!.accepted);
}, 60_000);
