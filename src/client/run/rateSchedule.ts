/**
 * The open loop's schedule (--msg-rate): when message j is due. At a constant rate r, message j
 * is due at j / r. With rate stages (`--msg-rate 10s:1000,30s:5000,10s:0`) the rate moves
 * linearly from the previous stage's (0 at the start) to each stage's over its duration, as k6's
 * ramping arrival rate does: the messages due by t are the integral of the rate up to t, a
 * quadratic in each stage, which timeOf() inverts.
 */

/** One stage of a ramped message rate: reach `rate` messages a second by the end of `durationMs`. */
export interface RateStage {
  durationMs: number;
  rate: number;
}

interface Segment {
  /** Start, ms from the schedule's start. */
  at: number;
  durationMs: number;
  /** Rate at its start and end, messages per ms. */
  from: number;
  to: number;
  /** Messages due by its start. */
  before: number;
}

export class RateSchedule {
  private readonly segments: Segment[] = [];
  /** Constant rate, messages per ms (when there are no stages). */
  private readonly perMs: number;
  /** Messages due over the whole staged schedule (Infinity at a constant rate). */
  readonly total: number;

  /**
   * `stages` empty: a constant `perSec`. Otherwise the stages, with every rate multiplied by
   * `scale` (a client thread's share of the flood's rate).
   */
  constructor(perSec: number, stages: readonly RateStage[] = [], scale = 1) {
    this.perMs = perSec / 1000;
    let at = 0;
    let from = 0;
    let before = 0;
    for (const s of stages) {
      const to = (s.rate * scale) / 1000;
      this.segments.push({ at, durationMs: s.durationMs, from, to, before });
      before += ((from + to) / 2) * s.durationMs;
      at += s.durationMs;
      from = to;
    }
    this.total = stages.length ? before : Infinity;
  }

  /** Messages due by `ms` from the start (not rounded). */
  count(ms: number): number {
    if (this.segments.length === 0) return ms * this.perMs;
    for (const s of this.segments) {
      if (ms < s.at + s.durationMs) {
        const t = Math.max(0, ms - s.at);
        return s.before + s.from * t + ((s.to - s.from) * t * t) / (2 * s.durationMs);
      }
    }
    return this.total;
  }

  /** When message `j` (0-based) is due, ms from the start; Infinity if the schedule never reaches it. */
  timeOf(j: number): number {
    if (this.segments.length === 0) return j / this.perMs;
    if (j >= this.total) return Infinity;
    for (const s of this.segments) {
      const inside = j - s.before;
      const end = s.before + ((s.from + s.to) / 2) * s.durationMs;
      if (j >= end) continue;
      // from * t + k t^2 = inside, k = (to - from) / 2D; this form is stable as k goes to 0.
      const k = (s.to - s.from) / (2 * s.durationMs);
      const root = Math.sqrt(Math.max(0, s.from * s.from + 4 * k * inside));
      const denominator = s.from + root;
      return s.at + (denominator > 0 ? (2 * inside) / denominator : 0);
    }
    return Infinity;
  }
}
