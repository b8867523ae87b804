/**
 * The flood's counters and latency histograms, and how they are merged across threads and summed
 * up for the result.
 */
import hdr, { type Histogram } from 'hdr-histogram-js';
import { FAULT_CLASSES, type FaultClass } from '../verify/diagnose.js';
import { DISCONNECT_MODES, type DisconnectMode } from './scenarios.js';

/**
 * The flood's counters: one flat Float64Array per thread, so that the hot path bumps an indexed
 * slot, a tick posts a copy, and merging threads is an element-wise sum.
 */
export const C = {
  started: 0,
  connected: 1,
  ok: 2,
  faulted: 3,
  errored: 4,
  /** Still running when the flood ended (deadline passed): neither good nor bad. */
  aborted: 5,
  active: 6,
  messagesSent: 7,
  messagesVerified: 8,
  bytesSent: 9,
  bytesReceived: 10,
  errReset: 11,
  errRefused: 12,
  errTimeout: 13,
  errOther: 14,
  /** Most connections running at once on one thread; merged over threads it is the sum of their peaks. */
  peakActive: 15,
  /**
   * Open loop: messages due (by the schedule) when the thread stopped that no connection had sent:
   * the round trips leave them out. Set once, when the thread stops.
   */
  messagesUnsent: 16,
  faultBase: 17,
  modeBase: 17 + FAULT_CLASSES.length,
} as const;

export const OUTCOMES = ['started', 'ok', 'fault', 'error'] as const;
export type Outcome = 'ok' | 'fault' | 'error' | 'aborted';
export const COUNTER_SLOTS = C.modeBase + DISCONNECT_MODES.length * OUTCOMES.length;

export const faultSlot = (f: FaultClass): number => C.faultBase + FAULT_CLASSES.indexOf(f);
export const modeSlot = (m: DisconnectMode, o: (typeof OUTCOMES)[number]): number =>
  C.modeBase + DISCONNECT_MODES.indexOf(m) * OUTCOMES.length + OUTCOMES.indexOf(o);

export type ErrorKind = 'reset' | 'refused' | 'timeout' | 'other';
export const errorSlot = (k: ErrorKind): number =>
  k === 'reset' ? C.errReset : k === 'refused' ? C.errRefused : k === 'timeout' ? C.errTimeout : C.errOther;

export function newCounters(): Float64Array {
  return new Float64Array(COUNTER_SLOTS);
}

export function addCounters(into: Float64Array, from: Float64Array): void {
  for (let i = 0; i < into.length; i++) into[i]! += from[i]!;
}

/** Latency histograms in microseconds, up to an hour, 3 significant digits. */
export function newHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3600e6,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function mergeEncoded(into: Histogram, encoded: string): void {
  into.add(hdr.decodeFromCompressedBase64(encoded, 32, false));
}

export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export function summarize(h: Histogram): LatencySummary {
  const n = h.totalCount;
  const at = (p: number) => (n ? h.getValueAtPercentile(p) : 0);
  return {
    count: n,
    min: n ? h.minNonZeroValue : 0,
    mean: n ? Math.round(h.mean) : 0,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max: n ? h.maxValue : 0,
  };
}

/** Per-mode outcome counts, by name: what the report's first table shows. */
export function byMode(c: Float64Array): Record<DisconnectMode, { started: number; ok: number; fault: number; error: number }> {
  return Object.fromEntries(
    DISCONNECT_MODES.map((m) => [
      m,
      { started: c[modeSlot(m, 'started')]!, ok: c[modeSlot(m, 'ok')]!, fault: c[modeSlot(m, 'fault')]!, error: c[modeSlot(m, 'error')]! },
    ]),
  ) as Record<DisconnectMode, { started: number; ok: number; fault: number; error: number }>;
}

export function faultCounts(c: Float64Array): Record<FaultClass, number> {
  return Object.fromEntries(FAULT_CLASSES.map((f) => [f, c[faultSlot(f)]!])) as Record<FaultClass, number>;
}
