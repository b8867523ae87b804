/**
 * A synthetic flood result for the HTML report's tests: the shape `iocp-bench flood --json`
 * prints, with interval samples and latency histograms encoded by hdr-histogram-js the way the
 * flood encodes its own. Deterministic: latencies come from a seeded generator.
 */
import { encodeHistogram, newHistogram, summarize } from '../../src/client/run/floodCounters.js';
import { DEFAULT_MIX, DISCONNECT_MODES, prng } from '../../src/client/run/scenarios.js';
import { FAULT_CLASSES } from '../../src/client/verify/diagnose.js';
import type { ServerStats } from '../../src/server/index.js';
import type { IntervalLatency, IntervalSample, ReportResult } from '../../src/report/types.js';

export interface FixtureOptions {
  /** Interval samples (0: a run too short for one). */
  samples?: number;
  /** Open loop: service time beside the corrected round trip. */
  openLoop?: boolean;
  /** The server's counters in every sample. */
  server?: boolean;
  /** Faults in the third interval (and a FAIL verdict). */
  faults?: boolean;
  /** Round trips in all (0: none completed). */
  roundTrips?: number;
}

const stats = (live: number, accepted: number): ServerStats => ({
  backend: 'epoll', workers: 2, lifetime: 'refcount', listen: { host: '127.0.0.1', port: 40000 }, uptimeMs: 5000,
  sessions: { live, peak: 40, accepted, freed: accepted - live, rejected: 0 },
  ops: { outstanding: live, posted: 9000, completed: 9000 - live, failed: 0 },
  staleCompletions: 0, bytes: { in: 1_234_567, out: 1_234_567 }, perWorker: [{ completions: 4500 }, { completions: 4500 }], extra: {},
});

const zeroFaults = () => ({ total: 0, ...Object.fromEntries(FAULT_CLASSES.map((f) => [f, 0])) }) as IntervalSample['faults'];

export function syntheticResult(o: FixtureOptions = {}): ReportResult {
  const n = o.samples ?? 8;
  const total = o.roundTrips ?? 20_000;
  const rnd = prng(42);
  const rt = newHistogram();
  const st = newHistogram();
  const samples: IntervalSample[] = [];
  const perInterval = n > 0 ? Math.floor(total / n) : 0;
  const interval = (lat: number[]): IntervalLatency => {
    if (!lat.length) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
    const s = [...lat].sort((a, b) => a - b);
    const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
    return { count: s.length, p50: at(50), p90: at(90), p99: at(99), max: s[s.length - 1]! };
  };
  for (let i = 0; i < Math.max(n, 1); i++) {
    const lat: number[] = [];
    const svc: number[] = [];
    const count = n > 0 ? perInterval : total;
    for (let k = 0; k < count; k++) {
      // A long tail, and a slow patch in the middle interval.
      const base = 200 + Math.floor(-Math.log(1 - rnd()) * 300) + (i === Math.floor(n / 2) ? 8000 : 0);
      const v = rnd() < 0.002 ? base * 40 : base;
      lat.push(v);
      rt.recordValue(v);
      const s = Math.max(1, Math.round(v * 0.6));
      svc.push(s);
      st.recordValue(s);
    }
    if (n === 0) break;
    const faults = zeroFaults();
    if (o.faults && i === 2) Object.assign(faults, { total: 2, corrupted: 2 });
    samples.push({
      time: 1_700_000_000_000 + (i + 1) * 1000,
      elapsedMs: (i + 1) * 1000,
      intervalMs: 1000,
      connections: { opened: 50, ok: 48, fault: o.faults && i === 2 ? 2 : 0, error: 0, aborted: 0, active: 20 + i },
      messages: { sent: count, verified: count, perSec: count },
      bytes: { sent: count * 1000, received: count * 1000, sentPerSec: count * 1000, receivedPerSec: count * 1000 },
      roundTripUs: interval(lat),
      serviceTimeUs: o.openLoop ? interval(svc) : null,
      faults,
      errors: { total: 0, reset: 0, refused: 0, timeout: 0, other: 0 },
      server: o.server === false ? null : { live: 20 + i, outstanding: 20 + i, accepted: 50 * (i + 1), freed: 50 * (i + 1) - 20 - i, staleCompletions: 0, doubleFrees: 0, rssBytes: (60 + i) * 2 ** 20 },
    });
  }
  const byMode = Object.fromEntries(DISCONNECT_MODES.map((m) => [m, { started: 40, ok: 40, fault: 0, error: 0 }])) as ReportResult['connections']['byMode'];
  if (o.faults) byMode.graceful = { started: 40, ok: 38, fault: 2, error: 0 };
  const faultTotal = o.faults ? 2 : 0;
  const reasons = o.faults ? ['data faults: corrupted 2'] : [];
  const started = DISCONNECT_MODES.length * 40;
  return {
    verdict: o.faults ? 'FAIL' : 'PASS',
    reasons,
    warnings: [],
    target: { host: '127.0.0.1', port: 40000, embedded: true, backend: 'epoll' },
    options: {
      profile: 'default', connections: 40, total: null, durationMs: Math.max(n, 1) * 1000, stages: [], rate: 0,
      msgRate: o.openLoop ? 20_000 : 0, msgStages: [], pipeline: 1, messages: { min: 1, max: 20 }, size: { min: 16, max: 4096 }, split: false,
      mix: DEFAULT_MIX, seed: 1234, workers: 2, timeoutMs: 5000, holdMs: { min: 100, max: 1000 }, transport: 'uring', transportThreads: { uring: 2 },
      sources: { count: 0, addresses: [] },
    },
    shard: null,
    startAt: null,
    elapsedMs: Math.max(n, 1) * 1000,
    stoppedEarly: null,
    serverGone: null,
    connections: {
      started, connected: started, ok: started - faultTotal, faulted: faultTotal, errored: 0, aborted: 0, peakActive: 40, perSec: 50,
      targetPerSec: null, achievedPerSec: null, byMode,
    },
    messages: { sent: total, verified: total, perSec: total / Math.max(n, 1), targetPerSec: o.openLoop ? 20_000 : null, achievedPerSec: o.openLoop ? 19_990 : null, unsent: o.openLoop ? 0 : null },
    bytes: { sent: total * 1000, received: total * 1000, perSec: 2000 * total },
    latencyUs: { connect: summarize(newHistogram()), roundTrip: summarize(rt), serviceTime: o.openLoop ? summarize(st) : null },
    faults: { ...zeroFaults(), ...(o.faults ? { total: 2, corrupted: 2 } : {}) },
    errors: { total: 0, reset: 0, refused: 0, timeout: 0, other: 0 },
    faultSamples: o.faults ? [{ connection: 7, mode: 'graceful', fault: 'corrupted', detail: 'byte 12 of frame 3: <script>alert(1)</script> 0x41 != 0x42' }] : [],
    errorSamples: [],
    leak: { status: 'clean', reasons: [], leaks: 0, settleMs: 12, before: stats(0, 0), after: stats(0, started) },
    assertions: [],
    intervalMs: 1000,
    samples,
    histograms: { roundTrip: encodeHistogram(rt), serviceTime: o.openLoop ? encodeHistogram(st) : null, connect: encodeHistogram(newHistogram()) },
    intervalHistograms: null,
  };
}
