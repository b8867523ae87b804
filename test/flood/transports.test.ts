// The client transports: each runs every disconnect mode with the same plan and the same outcome
// for the same seed; a native one is chosen by `auto` where it runs (uring where io_uring passes
// its probe), each refuses what it cannot do, and obeys stop and abort while its threads block in
// their own loop.
import { describe, expect, it } from 'vitest';
import { runFlood, type FloodOptions } from '../../src/client/flood.js';
import { resolveFloodOptions, resolveTransport } from '../../src/client/options.js';
import { renderReport } from '../../src/client/cli/report.js';
import { ioUringAvailable, nativeClientTransportAvailable } from '../../src/native/platform.js';
import { UsageError } from '../../src/errors.js';
import { useEchoServer } from '../helpers/faultyServers.js';
import { deadPort } from '../helpers/ports.js';
import { TRANSPORTS } from '../helpers/transports.js';

describe('client transports', () => {
  const server = useEchoServer();

  const opts = (o: FloodOptions): FloodOptions => ({
    target: `127.0.0.1:${server().port}`, connections: 40, total: 160, messages: { min: 1, max: 5 }, size: { min: 16, max: 2048 },
    seed: 77, timeoutMs: 2000, idleHoldMs: { min: 5, max: 40 }, pendingBytes: 256 * 1024, settleTimeoutMs: 2000, stats: server().stats, ...o,
  });

  it('auto is uring, else native, where they run and the target is an address, net otherwise', () => {
    const native = nativeClientTransportAvailable();
    const ring = ioUringAvailable();
    expect(resolveFloodOptions({ target: '127.0.0.1:9' }).transport).toBe(native ? (ring ? 'uring' : 'native') : 'net');
    expect(resolveTransport('auto', 'localhost')).toBe('net');
    expect(resolveTransport('net', '127.0.0.1')).toBe('net');
    for (const t of ['uring', 'native'] as const) {
      if (native) expect(() => resolveTransport(t, 'localhost')).toThrow(UsageError);
      else expect(() => resolveTransport(t, '127.0.0.1')).toThrow(/needs Linux/);
    }
    if (native && ring) expect(resolveTransport('uring', '::1')).toBe('uring');
    if (native && !ring) expect(() => resolveTransport('uring', '127.0.0.1')).toThrow(/io_uring is not available/);
    expect(() => resolveFloodOptions({ transport: 'udp' as never })).toThrow(/--transport/);
  });

  it.each(TRANSPORTS)('frames larger than one read, cut and whole, come back verified (%s transport)', async (transport) => {
    const mix = { graceful: 1, 'half-close': 1, 'rst-mid-frame': 1 };
    const r = await runFlood(opts({ transport, workers: 1, total: 24, connections: 12, mix, messages: { min: 2, max: 4 }, size: { min: 17_000, max: 70_000 }, split: true })).result;
    expect(r.verdict, r.reasons.join('; ')).toBe('PASS');
    expect(r.connections.ok).toBe(24);
    expect(r.bytes.received).toBeGreaterThan(24 * 17_000);
  });

  it('the same seed gives the same work and the same outcome on every transport and thread count', async () => {
    const runs = [];
    for (const transport of TRANSPORTS) {
      for (const workers of [0, 2]) {
        const r = await runFlood(opts({ transport, workers, split: true })).result;
        expect(r.verdict, `${transport} x${workers}: ${r.reasons.join('; ')}`).toBe('PASS');
        expect(r.connections).toMatchObject({ started: 160, ok: 160, faulted: 0, errored: 0 });
        expect(r.leak.status).toBe('clean');
        runs.push(r);
      }
    }
    for (const r of runs.slice(1)) {
      expect(r.connections.byMode).toEqual(runs[0]!.connections.byMode);
      expect(r.messages.verified).toBe(runs[0]!.messages.verified);
      expect(r.latencyUs.roundTrip.count).toBe(runs[0]!.latencyUs.roundTrip.count);
      expect(r.latencyUs.connect.count).toBe(runs[0]!.latencyUs.connect.count);
    }
  });

  it.each(TRANSPORTS)('the result and the report say which transport every thread ran on (%s transport)', async (transport) => {
    const r = await runFlood(opts({ transport, workers: 2, total: 20 })).result;
    expect(r.verdict, r.reasons.join('; ')).toBe('PASS');
    expect(r.options.transport).toBe(transport);
    expect(r.options.transportThreads).toEqual({ [transport]: 2 });
    expect(renderReport(r).split('\n')[1]).toMatch(new RegExp(`\\| transport ${transport}$`));
    // A uring thread whose ring could not be set up runs on plain calls, and the report says so.
    const mixed = { ...r, options: { ...r.options, transport: 'uring' as const, transportThreads: { uring: 1, native: 1 } } };
    expect(renderReport(mixed).split('\n')[1]).toMatch(/\| transport uring \(1 of 2 thread\(s\) on native\)$/);
    // Printed after the run, where the start header only knew the transport asked for.
    expect(renderReport(mixed, { header: false }).split('\n')[0]).toMatch(/^ran [\d.]+ s; 1 thread\(s\) ran on native$/);
  });

  it.each(TRANSPORTS)('rst-send-pending and slow-drip alone pass (%s transport)', async (transport) => {
    for (const mix of [{ 'rst-send-pending': 1 }, { 'slow-drip': 1 }, { 'connect-abort': 1, 'connect-rst': 1 }]) {
      const r = await runFlood(opts({ transport, workers: 1, total: 40, mix })).result;
      expect(r.verdict, `${JSON.stringify(mix)}: ${r.reasons.join('; ')}`).toBe('PASS');
      expect(r.connections.ok).toBe(40);
    }
  });

  it.each(TRANSPORTS)('a refused connection is counted as refused, not thrown (%s transport)', async (transport) => {
    const port = await deadPort();
    const r = await runFlood({ target: `127.0.0.1:${port}`, connections: 5, total: 5, workers: 0, transport, mix: { graceful: 1 }, timeoutMs: 2000 }).result;
    expect(r.errors.refused).toBe(5);
    expect(r.verdict).toBe('FAIL');
  });

  it.each(TRANSPORTS)('stop and abort reach threads that block in their loop (%s transport)', async (transport) => {
    const t0 = Date.now();
    const stopped = runFlood(opts({ transport, workers: 2, total: undefined, durationMs: 60_000, connections: 20, mix: { graceful: 1 } }));
    // Asked once connections are running (a stop before the threads start would simply run none).
    stopped.on('tick', (t) => {
      if (t.done > 20) stopped.stop();
    });
    const s = await stopped.result;
    expect(s.verdict, s.reasons.join('; ')).toBe('PASS');
    expect(s.connections.started).toBeGreaterThan(20);
    expect(s.connections.aborted).toBe(0);
    expect(s.stoppedEarly).toBe('stop');

    const aborted = runFlood(opts({ transport, workers: 2, total: undefined, durationMs: 60_000, connections: 20, mix: { idle: 1 }, idleHoldMs: 30_000 }));
    aborted.on('tick', (t) => {
      if (t.active >= 20) aborted.abort();
    });
    const a = await aborted.result;
    expect(a.connections.aborted).toBeGreaterThan(0);
    expect(a.faults.total).toBe(0);
    expect(a.stoppedEarly).toBe('abort');
    expect(Date.now() - t0).toBeLessThan(15_000);
  });
});
