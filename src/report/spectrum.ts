/**
 * The latency distribution as HdrHistogram's plotter draws it: value against percentile, the
 * percentile axis stretched as log10(1 / (1 - p)) so 90%, 99%, 99.9%... are evenly spaced.
 */
import { mergeEncoded, newHistogram } from '../client/run/floodCounters.js';

/** Points per decade of the percentile axis (90% -> 99% is one decade). */
const STEPS_PER_DECADE = 40;
/** The axis ends at 99.99999% at most (x = 7). */
const MAX_DECADES = 7;

export interface Spectrum {
  /** log10(1 / (1 - p)) of each point, p the fraction of round trips at or below its value. */
  x: number[];
  /** The value at that percentile, µs. */
  valueUs: number[];
  /** The round trips the histogram holds. */
  count: number;
}

/** Where a percentile (0..100) sits on the spectrum's x axis. */
export function percentileX(percentile: number): number {
  return Math.log10(1 / (1 - percentile / 100));
}

/** The x axis's end for a histogram of `count` values: the last percentile a count resolves. */
export function spectrumEnd(count: number): number {
  return Math.min(MAX_DECADES, Math.max(1, Math.log10(Math.max(count, 1))));
}

/**
 * The spectrum of an encoded histogram (hdr-histogram-js's compressed base64), on the grid of x
 * values from 0 to `end` (spectrumEnd of its count by default); the last point is the maximum.
 * null when the histogram holds nothing.
 */
export function percentileSpectrum(encoded: string, end?: number): Spectrum | null {
  const h = newHistogram();
  mergeEncoded(h, encoded);
  const count = h.totalCount;
  if (count === 0) return null;
  const last = end ?? spectrumEnd(count);
  const steps = Math.max(1, Math.round(last * STEPS_PER_DECADE));
  const x: number[] = [];
  const valueUs: number[] = [];
  for (let i = 0; i < steps; i++) {
    const at = (i / steps) * last;
    x.push(Math.round(at * 1e4) / 1e4);
    valueUs.push(h.getValueAtPercentile(100 * (1 - 10 ** -at)));
  }
  x.push(Math.round(last * 1e4) / 1e4);
  valueUs.push(h.maxValue);
  return { x, valueUs, count };
}
