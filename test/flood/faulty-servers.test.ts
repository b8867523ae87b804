// Each faulty echo server makes the flood FAIL, naming the fault class, every time.
import { afterEach, describe, expect, it } from 'vitest';
import { startEchoServer, type EchoServer, type Fault } from '../helpers/faultyServers.js';
import { quickFlood } from '../helpers/floodRun.js';
import { TRANSPORTS } from '../helpers/transports.js';

const cases: [Fault, string][] = [
  ['drop-byte', 'lost'],
  ['flip-bit', 'corrupted'],
  ['cross-talk', 'foreign'],
  ['stall', 'stalled'],
  ['reorder', 'reordered'],
];

describe.each(TRANSPORTS)('flood against faulty echo servers (%s transport)', (transport) => {
  let server: EchoServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it.each(cases)('%s -> FAIL naming %s', async (fault, cls) => {
    server = await startEchoServer({ fault });
    const r = await quickFlood(server.port, { mix: { graceful: 1 }, transport });
    expect(r.options.transport).toBe(transport);
    expect(r.verdict).toBe('FAIL');
    expect(r.faults[cls as keyof typeof r.faults]).toBeGreaterThan(0);
    expect(r.reasons.join('\n')).toContain(cls);
    expect(r.faultSamples.some((s) => s.fault === cls)).toBe(true);
  });

  it('catches cross-talk between connections of different client threads', async () => {
    server = await startEchoServer({ fault: 'cross-talk' });
    const r = await quickFlood(server.port, { mix: { graceful: 1 }, workers: 2, total: 120, transport });
    expect(r.verdict).toBe('FAIL');
    expect(r.faults.foreign).toBeGreaterThan(0);
  });

  it('names the fault under the full mix with split writes too', async () => {
    server = await startEchoServer({ fault: 'flip-bit' });
    const r = await quickFlood(server.port, { split: true, transport });
    expect(r.verdict).toBe('FAIL');
    expect(r.faults.corrupted).toBeGreaterThan(0);
  });
});
