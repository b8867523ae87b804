/**
 * Interval samples across client threads. Each thread takes its own part at the flood's interval
 * boundaries (epoch + b × interval) on its own timers (intervalClock()): a thread on the native
 * transport does not return to Node's loop while it runs, so it cannot be asked; it posts. The
 * main thread lines the parts up by boundary (IntervalCollector) and turns each boundary that
 * every running thread has passed into one IntervalSample.
 */
import { performance } from 'node:perf_hooks';
import hdr, { type Histogram } from 'hdr-histogram-js';
import type { ClientEngine, IntervalPart } from './clientEngine.js';
import { addCounters, C, encodeHistogram, faultCounts, newCounters, newHistogram } from './floodCounters.js';
import type { IntervalHistograms, IntervalLatency, IntervalSample } from '../verdict/samples.js';
import { columnsOf } from '../../sampleOut.js';

/** A part taken at boundary `b` (its interval ends at epoch + b × interval); `final`: the thread's last. */
export type PartSink = (b: number, part: IntervalPart, final: boolean) => void;

/**
 * Takes `engine`'s parts at each boundary after `epochMs` (ms since the Unix epoch, as
 * performance.timeOrigin + performance.now() counts it) on the engine's transport timers, and the
 * last one when finish() is called. A boundary passed while the thread was busy is taken late, at
 * the next one it sees: its round trips then count in that interval.
 *
 * A part is filed under the latest boundary passed and not yet taken, whichever took it (the
 * timer or finish()): a run that ends just past a boundary whose timer has not fired yet (its end
 * seen on an I/O event or the deadline's timer first) files what it counted up to that boundary
 * under it, not under the next one, where the sample of that boundary, closed without it, would
 * have read a dip and the run's short last sample a spike. Only past a boundary already taken does
 * the last part start an interval of its own (the run's last, shorter sample).
 */
export function intervalClock(engine: ClientEngine, epochMs: number, intervalMs: number, sink: PartSink): { finish(): void } {
  const t = engine.transport;
  const localT0 = epochMs - performance.timeOrigin;
  let last = 0;
  let timer = t.setTimer(fire, delayTo(1));
  function delayTo(b: number): number {
    return Math.max(0, Math.ceil(localT0 + b * intervalMs - performance.now()));
  }
  /** The boundary a part taken now is filed under: the latest one passed, or the next after the last taken. */
  function boundaryNow(): number {
    last = Math.max(last + 1, Math.floor((performance.now() - localT0) / intervalMs));
    return last;
  }
  function fire(): void {
    const b = boundaryNow();
    sink(b, engine.takeInterval(), false);
    timer = t.setTimer(fire, delayTo(b + 1));
  }
  // A stop at a --duration deadline (which falls on a boundary) is often seen before that
  // boundary's timer: the boundary's part is taken first, while the connections are still as they
  // were at it, not once they have ended.
  engine.beforeStop = () => {
    if (Math.floor((performance.now() - localT0) / intervalMs) > last) {
      t.clearTimer(timer);
      fire();
    }
  };
  return {
    finish() {
      t.clearTimer(timer);
      sink(boundaryNow(), engine.takeInterval(), true);
    },
  };
}

interface Pending {
  b: number;
  part: IntervalPart;
}

/**
 * Lines up the threads' parts: boundary b is complete once every thread has sent a part at b or
 * later, or its final one. Each boundary with parts becomes one sample (one skipped by every
 * thread is covered by the next sample, which is then longer). finish() sends what is left, the
 * last sample ending where the run did.
 */
export class IntervalCollector {
  private readonly pending: Pending[][];
  private readonly lastB: number[];
  private readonly done: boolean[];
  /** Each thread's latest counters taken into a sample; their sum at the last sample. */
  private readonly cumulative: Float64Array[];
  private previous = newCounters();
  private previousElapsedMs = 0;

  constructor(
    threads: number,
    private readonly intervalMs: number,
    /** The flood's start, ms since the Unix epoch. */
    private readonly epochMs: number,
    private readonly emit: (s: IntervalSample, histograms: IntervalHistograms | null) => void,
    /** The server's counters for a sample (`last`: the run's last one), or null when they are not readable. */
    private readonly server: (last: boolean) => IntervalSample['server'],
    /** Hand each sample's histograms, encoded, to emit (a shard's, for an exact merge). */
    private readonly keepHistograms = false,
  ) {
    this.pending = Array.from({ length: threads }, () => []);
    this.lastB = Array.from({ length: threads }, () => 0);
    this.done = Array.from({ length: threads }, () => false);
    this.cumulative = Array.from({ length: threads }, () => newCounters());
  }

  add(thread: number, b: number, part: IntervalPart, final: boolean): void {
    this.pending[thread]!.push({ b, part });
    this.lastB[thread] = b;
    if (final) this.done[thread] = true;
    let complete = Infinity;
    for (let i = 0; i < this.lastB.length; i++) if (!this.done[i]) complete = Math.min(complete, this.lastB[i]!);
    if (complete !== Infinity) this.flush(complete, null);
  }

  /** Every thread has sent its final part: what is left, the last sample ending at `elapsedMs`. */
  finish(elapsedMs: number): void {
    this.flush(Infinity, elapsedMs);
  }

  private flush(upTo: number, endMs: number | null): void {
    for (;;) {
      let b = Infinity;
      for (const q of this.pending) if (q.length && q[0]!.b < b) b = q[0]!.b;
      if (b === Infinity || b > upTo) return;
      const rtt = newHistogram();
      const service = newHistogram();
      let openLoop = false;
      for (let i = 0; i < this.pending.length; i++) {
        const q = this.pending[i]!;
        while (q.length && q[0]!.b <= b) {
          const { part } = q.shift()!;
          this.cumulative[i] = part.counters;
          rtt.add(decode(part.rtt));
          if (part.serviceTime !== null) {
            openLoop = true;
            service.add(decode(part.serviceTime));
          }
        }
      }
      const last = endMs !== null && this.pending.every((q) => q.length === 0);
      const nominal = b * this.intervalMs;
      const elapsedMs = Math.round(Math.max(this.previousElapsedMs, last ? endMs : endMs !== null ? Math.min(nominal, endMs) : nominal));
      this.emitSample(elapsedMs, rtt, openLoop ? service : null, last);
    }
  }

  private emitSample(elapsedMs: number, rtt: Histogram, service: Histogram | null, last: boolean): void {
    const now = newCounters();
    for (const c of this.cumulative) addCounters(now, c);
    const d = now.map((v, i) => v - this.previous[i]!);
    const intervalMs = elapsedMs - this.previousElapsedMs;
    this.previous = now;
    this.previousElapsedMs = elapsedMs;
    const histograms = this.keepHistograms ? { roundTrip: encodeHistogram(rtt), serviceTime: service ? encodeHistogram(service) : null } : null;
    this.emit(sampleOf(d, now[C.active]!, rtt, service, { time: Math.round(this.epochMs + elapsedMs), elapsedMs, intervalMs }, this.server(last)), histograms);
  }
}

function decode(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 32, false);
}

export function intervalLatency(h: Histogram): IntervalLatency {
  const n = h.totalCount;
  if (n === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  return { count: n, p50: h.getValueAtPercentile(50), p90: h.getValueAtPercentile(90), p99: h.getValueAtPercentile(99), max: h.maxValue };
}

/** One sample from the counters' change over the interval `d` and its round trips. */
function sampleOf(
  d: Float64Array,
  active: number,
  rtt: Histogram,
  service: Histogram | null,
  at: { time: number; elapsedMs: number; intervalMs: number },
  server: IntervalSample['server'],
): IntervalSample {
  // A run that ends within a millisecond of a boundary leaves a last sample of 0 ms: its counts
  // are kept (the samples add up to the run), its rates are 0.
  const perSec = (n: number) => (at.intervalMs >= 1 ? Math.round((n * 1000) / at.intervalMs) : 0);
  const faults = faultCounts(d);
  return {
    time: at.time,
    elapsedMs: Math.round(at.elapsedMs),
    intervalMs: Math.round(at.intervalMs),
    connections: { opened: d[C.started]!, ok: d[C.ok]!, fault: d[C.faulted]!, error: d[C.errored]!, aborted: d[C.aborted]!, active },
    messages: { sent: d[C.messagesSent]!, verified: d[C.messagesVerified]!, perSec: perSec(d[C.messagesVerified]!) },
    bytes: {
      sent: d[C.bytesSent]!,
      received: d[C.bytesReceived]!,
      sentPerSec: perSec(d[C.bytesSent]!),
      receivedPerSec: perSec(d[C.bytesReceived]!),
    },
    roundTripUs: intervalLatency(rtt),
    serviceTimeUs: service ? intervalLatency(service) : null,
    faults: { total: Object.values(faults).reduce((a, b) => a + b, 0), ...faults },
    errors: { total: d[C.errored]!, reset: d[C.errReset]!, refused: d[C.errRefused]!, timeout: d[C.errTimeout]!, other: d[C.errOther]! },
    server,
  };
}

/** The CSV columns of a flood's samples: every field, the open loop's and the server's included. */
export function floodSampleColumns(): string[] {
  const server = { live: 0, outstanding: 0, accepted: 0, freed: 0, staleCompletions: 0, doubleFrees: 0, rssBytes: 0 };
  return columnsOf(sampleOf(newCounters(), 0, newHistogram(), newHistogram(), { time: 0, elapsedMs: 0, intervalMs: 0 }, server));
}
