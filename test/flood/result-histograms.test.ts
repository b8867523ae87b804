// The --json result carries the run's whole histograms (HdrHistogram's compressed base64, as
// hdr-histogram-js encodes them) and the interval samples: the histograms decode to the counts the
// summaries give, and the samples add up to the run's totals, across client threads.
import hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { runFlood, type FloodResult } from '../../src/client/flood.js';

const decode = (s: string) => hdr.decodeFromCompressedBase64(s, 32, false);
const sum = (r: FloodResult, f: (s: FloodResult['samples'][number]) => number) => r.samples.reduce((a, s) => a + f(s), 0);

describe('result histograms and samples', () => {
  it('closed loop on two threads: histograms decode to the summaries, samples sum to the totals', async () => {
    const r = await runFlood({
      connections: 20,
      total: 400,
      messages: { min: 5, max: 20 },
      size: { min: 64, max: 512 },
      workers: 2,
      seed: 3,
      intervalMs: 100,
      timeoutMs: 5000,
    }).result;
    expect(r.verdict).toBe('PASS');
    expect(r.intervalMs).toBe(100);
    const rtt = decode(r.histograms.roundTrip);
    expect(rtt.totalCount).toBe(r.latencyUs.roundTrip.count);
    expect(rtt.totalCount).toBeGreaterThan(0);
    expect(rtt.maxValue).toBe(r.latencyUs.roundTrip.max);
    expect(decode(r.histograms.connect).totalCount).toBe(r.latencyUs.connect.count);
    expect(r.histograms.serviceTime).toBeNull();
    expect(r.samples.length).toBeGreaterThanOrEqual(1);
    expect(sum(r, (s) => s.messages.verified)).toBe(r.messages.verified);
    expect(sum(r, (s) => s.messages.sent)).toBe(r.messages.sent);
    expect(sum(r, (s) => s.roundTripUs.count)).toBe(r.latencyUs.roundTrip.count);
    expect(sum(r, (s) => s.connections.opened)).toBe(r.connections.started);
    expect(sum(r, (s) => s.connections.ok)).toBe(r.connections.ok);
    expect(sum(r, (s) => s.intervalMs)).toBe(r.samples.at(-1)!.elapsedMs);
    expect(r.samples.every((s) => s.serviceTimeUs === null && s.server !== null)).toBe(true);
    expect(r.samples.at(-1)!.connections.active).toBe(0);
    // The embedded server's counters, read at each sample.
    expect(r.samples.at(-1)!.server!.accepted).toBeGreaterThan(0);
  }, 60_000);

  it('open loop: the service-time histogram too, and per-sample service times', async () => {
    const r = await runFlood({ connections: 10, durationMs: 1500, msgRate: 1000, workers: 2, seed: 4, intervalMs: 500 }).result;
    expect(r.verdict).toBe('PASS');
    expect(decode(r.histograms.roundTrip).totalCount).toBe(r.latencyUs.roundTrip.count);
    expect(decode(r.histograms.serviceTime!).totalCount).toBe(r.latencyUs.serviceTime!.count);
    expect(sum(r, (s) => s.serviceTimeUs!.count)).toBe(r.latencyUs.serviceTime!.count);
    expect(sum(r, (s) => s.messages.verified)).toBe(r.messages.verified);
    expect(r.samples.length).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
