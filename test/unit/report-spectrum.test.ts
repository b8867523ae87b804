// The percentile spectrum of an encoded histogram, as HdrHistogram's plotter draws it: x is
// log10(1 / (1 - p)) from 0 to the last percentile the count resolves, values never decrease,
// they are the histogram's own percentiles, and the last point is the maximum.
import hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { encodeHistogram, newHistogram } from '../../src/client/run/floodCounters.js';
import { percentileSpectrum, percentileX } from '../../src/report/spectrum.js';

describe('percentileSpectrum', () => {
  const h = newHistogram();
  for (let v = 1; v <= 10_000; v++) h.recordValue(v * 10);
  const s = percentileSpectrum(encodeHistogram(h))!;

  it('spans 0% to the resolved tail, evenly in decades', () => {
    expect(s.count).toBe(10_000);
    expect(s.x[0]).toBe(0);
    expect(s.x.at(-1)).toBeCloseTo(4, 6); // 10,000 values: 99.99%
    expect(percentileX(99)).toBeCloseTo(2, 9);
    expect(s.x.length).toBe(s.valueUs.length);
    for (let i = 1; i < s.x.length; i++) expect(s.x[i]!).toBeGreaterThan(s.x[i - 1]!);
  });

  it("gives the histogram's own percentiles, rising to its maximum", () => {
    // The encoded form keeps values to 3 significant digits: compare with what it decodes to.
    const d = hdr.decodeFromCompressedBase64(encodeHistogram(h), 32, false);
    for (let i = 1; i < s.valueUs.length; i++) expect(s.valueUs[i]!).toBeGreaterThanOrEqual(s.valueUs[i - 1]!);
    const at = (x: number) => s.valueUs[s.x.findIndex((v) => Math.abs(v - x) < 1e-9)]!;
    expect(at(0)).toBe(d.getValueAtPercentile(0));
    expect(at(1)).toBe(d.getValueAtPercentile(90));
    expect(at(2)).toBe(d.getValueAtPercentile(99));
    expect(at(3)).toBe(d.getValueAtPercentile(99.9));
    expect(at(1)).toBeGreaterThan(89_000);
    expect(at(1)).toBeLessThan(91_000);
    expect(s.valueUs.at(-1)).toBe(d.maxValue);
    expect(Math.abs(d.maxValue - 100_000)).toBeLessThan(100);
  });

  it('is null for an empty histogram', () => {
    expect(percentileSpectrum(hdr.encodeIntoCompressedBase64(newHistogram()))).toBeNull();
  });
});
