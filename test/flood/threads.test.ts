// Client threads: connections spread over worker threads, counters and histograms merged, and
// the same events a library caller sees on one thread.
import { describe, expect, it } from 'vitest';
import { runFlood, type FloodTick, type FloodStartInfo } from '../../src/client/flood.js';
import { useEchoServer } from '../helpers/faultyServers.js';
import { TRANSPORTS } from '../helpers/transports.js';

describe.each(TRANSPORTS)('flood on client threads (%s transport)', (transport) => {
  const server = useEchoServer();

  const opts = (workers: number) => ({
    target: `127.0.0.1:${server().port}`, connections: 60, total: 300, messages: { min: 1, max: 4 }, size: { min: 16, max: 1024 },
    seed: 21, workers, timeoutMs: 2000, idleHoldMs: { min: 10, max: 50 }, pendingBytes: 128 * 1024, stats: server().stats, transport,
  });

  it('runs every connection exactly once and merges the threads\' counters and histograms', async () => {
    const one = await runFlood(opts(0)).result;
    const three = await runFlood(opts(3)).result;
    for (const r of [one, three]) {
      expect(r.verdict).toBe('PASS');
      expect(r.connections).toMatchObject({ started: 300, ok: 300, faulted: 0, errored: 0 });
    }
    // The plan is per connection index, so the work is identical whichever thread runs it.
    expect(three.connections.byMode).toEqual(one.connections.byMode);
    expect(three.messages).toMatchObject({ sent: one.messages.sent, verified: one.messages.verified });
    expect(three.latencyUs.roundTrip.count).toBe(one.latencyUs.roundTrip.count);
    expect(three.latencyUs.connect.count).toBe(three.connections.byMode['connect-abort'] ? 300 - three.connections.byMode['connect-abort'].started : 300);
  });

  it('emits start, ticks and done, and keeps the concurrency limit', async () => {
    const run = runFlood({ ...opts(2), total: 200, connections: 20, mix: { idle: 1 } });
    const events: string[] = [];
    let start: FloodStartInfo | null = null;
    let maxActive = 0;
    run.on('start', (s) => {
      start = s;
      events.push('start');
    });
    run.on('tick', (t: FloodTick) => {
      maxActive = Math.max(maxActive, t.active);
      if (events.at(-1) !== 'tick') events.push('tick');
    });
    run.on('done', () => events.push('done'));
    const r = await run.result;
    expect(events).toEqual(['start', 'tick', 'done']);
    expect(start).toMatchObject({ host: '127.0.0.1', port: server().port, embedded: false, total: 200, workers: 2, seed: 21 });
    expect(maxActive).toBeGreaterThan(0);
    expect(maxActive).toBeLessThanOrEqual(20);
    expect(r.connections.ok).toBe(200);
  });

  it('a duration-bound run stops opening connections at the deadline', async () => {
    const t0 = Date.now();
    const r = await runFlood({ ...opts(2), total: undefined, durationMs: 800, connections: 10, mix: { graceful: 1 } }).result;
    expect(r.options.total).toBeNull();
    expect(r.connections.started).toBeGreaterThan(10);
    expect(r.verdict).toBe('PASS');
    expect(Date.now() - t0).toBeLessThan(6000);
  });
});
