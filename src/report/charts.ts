/**
 * The report's charts as plain data (the page's script draws each with uPlot): series over the
 * run's elapsed time from its interval samples, and the latency spectrum from its histograms.
 */
import type { IntervalLatency, IntervalSample, ReportResult } from './types.js';
import { percentileSpectrum, spectrumEnd } from './spectrum.js';

/** One line of a chart: its values on the chart's x, null where there is none (a gap). */
export interface SeriesSpec {
  label: string;
  values: (number | null)[];
  /** 'y' (left axis) or 'y2' (right axis). */
  scale: 'y' | 'y2';
  /** Index into the page's palette. */
  color: number;
  dash?: boolean;
}

export interface ChartSpec {
  id: string;
  title: string;
  /** 'seconds': elapsed time of the run; 'percentile': log10(1 / (1 - p)), ticks 0%, 90%, 99%... */
  xKind: 'seconds' | 'percentile';
  x: number[];
  /** The unit of each y axis, as its label says ('y2' absent: one axis). */
  units: { y: string; y2?: string };
  series: SeriesSpec[];
}

const ms = (us: number) => Math.round(us) / 1000;
const perSec = (n: number, s: IntervalSample) => (s.intervalMs > 0 ? Math.round((n * 1000) / s.intervalMs) : 0);
/**
 * A per-second rate as a chart draws it: a gap for an interval under a quarter of the nominal one
 * (the run's last, often a few ms of its wind-down), whose rate would stand out as a spike.
 */
const rate = (r: ReportResult, s: IntervalSample, perSecond: number): number | null => (s.intervalMs * 4 < r.intervalMs ? null : perSecond);
/** A latency of an interval, ms; null when no round trip completed in it. */
const lat = (l: IntervalLatency | null, pick: (l: IntervalLatency) => number) => (l && l.count > 0 ? ms(pick(l)) : null);

/**
 * Whether the run has samples to chart over time: one at least, and one at least a quarter of an
 * interval long (a run over within its first quarter interval has only a sample whose rates
 * would all be gaps).
 */
export function chartsOverTime(r: ReportResult): boolean {
  return r.samples.some((s) => s.intervalMs * 4 >= r.intervalMs);
}

/** The charts over time (none without samples to chart: chartsOverTime()). */
export function timeCharts(r: ReportResult): ChartSpec[] {
  const s = r.samples;
  if (!chartsOverTime(r)) return [];
  const x = s.map((v) => v.elapsedMs / 1000);
  const charts: ChartSpec[] = [
    {
      id: 'messages',
      title: 'Messages per second',
      xKind: 'seconds',
      x,
      units: { y: 'messages/s' },
      series: [
        { label: 'verified/s', values: s.map((v) => rate(r, v, v.messages.perSec)), scale: 'y', color: 0 },
        { label: 'sent/s', values: s.map((v) => rate(r, v, perSec(v.messages.sent, v))), scale: 'y', color: 1, dash: true },
      ],
    },
    {
      id: 'bytes',
      title: 'Bytes per second',
      xKind: 'seconds',
      x,
      units: { y: 'bytes/s' },
      series: [
        { label: 'received/s', values: s.map((v) => rate(r, v, v.bytes.receivedPerSec)), scale: 'y', color: 2 },
        { label: 'sent/s', values: s.map((v) => rate(r, v, v.bytes.sentPerSec)), scale: 'y', color: 4, dash: true },
      ],
    },
    {
      id: 'connections',
      title: 'Connections',
      xKind: 'seconds',
      x,
      units: { y: 'connections', y2: 'per second' },
      series: [
        { label: 'active', values: s.map((v) => v.connections.active), scale: 'y', color: 0 },
        { label: 'opened/s', values: s.map((v) => rate(r, v, perSec(v.connections.opened, v))), scale: 'y2', color: 2, dash: true },
        { label: 'ended ok/s', values: s.map((v) => rate(r, v, perSec(v.connections.ok, v))), scale: 'y2', color: 1, dash: true },
      ],
    },
    latencyChart(r, x),
  ];
  if (s.some((v) => v.faults.total > 0 || v.errors.total > 0)) {
    charts.push({
      id: 'faults',
      title: 'Faults and errors per interval',
      xKind: 'seconds',
      x,
      units: { y: 'connections' },
      series: [
        { label: 'faults', values: s.map((v) => v.faults.total), scale: 'y', color: 3 },
        { label: 'errors', values: s.map((v) => v.errors.total), scale: 'y', color: 5 },
      ],
    });
  }
  const server = serverChart(s, x);
  if (server) charts.push(server);
  return charts;
}

function latencyChart(r: ReportResult, x: number[]): ChartSpec {
  const s = r.samples;
  const openLoop = r.latencyUs.serviceTime !== null;
  const series: SeriesSpec[] = [
    { label: 'p50', values: s.map((v) => lat(v.roundTripUs, (l) => l.p50)), scale: 'y', color: 0 },
    { label: 'p90', values: s.map((v) => lat(v.roundTripUs, (l) => l.p90)), scale: 'y', color: 1 },
    { label: 'p99', values: s.map((v) => lat(v.roundTripUs, (l) => l.p99)), scale: 'y', color: 2 },
    { label: 'max', values: s.map((v) => lat(v.roundTripUs, (l) => l.max)), scale: 'y', color: 3 },
  ];
  if (openLoop) {
    for (const sr of series) sr.label = `round trip ${sr.label}`;
    series.push(
      { label: 'service time p50', values: s.map((v) => lat(v.serviceTimeUs, (l) => l.p50)), scale: 'y', color: 4, dash: true },
      { label: 'service time p99', values: s.map((v) => lat(v.serviceTimeUs, (l) => l.p99)), scale: 'y', color: 5, dash: true },
    );
  }
  return { id: 'latency', title: 'Round-trip latency per interval', xKind: 'seconds', x, units: { y: 'ms' }, series };
}

function serverChart(s: IntervalSample[], x: number[]): ChartSpec | null {
  if (!s.some((v) => v.server !== null)) return null;
  const series: SeriesSpec[] = [
    { label: 'live sessions', values: s.map((v) => v.server?.live ?? null), scale: 'y', color: 0 },
    { label: 'outstanding operations', values: s.map((v) => v.server?.outstanding ?? null), scale: 'y', color: 1, dash: true },
  ];
  const rss = s.map((v) => (v.server?.rssBytes == null ? null : Math.round((v.server.rssBytes / 2 ** 20) * 10) / 10));
  if (rss.some((v) => v !== null)) series.push({ label: 'RSS (MiB)', values: rss, scale: 'y2', color: 2 });
  const units = rss.some((v) => v !== null) ? { y: 'count', y2: 'MiB' } : { y: 'count' };
  return { id: 'server', title: "The server's sessions and memory", xKind: 'seconds', x, units, series };
}

/** The latency spectrum: the round trip, and in open loop the service time beside it. */
export function spectrumChart(r: ReportResult): ChartSpec | null {
  const h = r.histograms;
  const count = r.latencyUs.roundTrip.count;
  if (count === 0) return null;
  const end = spectrumEnd(count);
  const rt = percentileSpectrum(h.roundTrip, end);
  if (!rt) return null;
  const openLoop = h.serviceTime !== null;
  const series: SeriesSpec[] = [
    { label: openLoop ? 'round trip (corrected, from schedule)' : 'round trip', values: rt.valueUs.map(ms), scale: 'y', color: 0 },
  ];
  const st = openLoop ? percentileSpectrum(h.serviceTime!, end) : null;
  if (st) series.push({ label: 'service time (uncorrected, from send)', values: st.valueUs.map(ms), scale: 'y', color: 2, dash: true });
  return { id: 'spectrum', title: 'Latency by percentile', xKind: 'percentile', x: rt.x, units: { y: 'ms' }, series };
}
