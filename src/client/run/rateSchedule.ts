/**
 * The open loop's schedule (--msg-rate): when message j is due. At a constant rate r, message j
 * is due at j / r. With rate stages (`--msg-rate 10s:1000,30s:5000,10s:0`) the rate moves
 * linearly from the previous stage's (0 at the start) to each stage's over its duration, as k6's
 * ramping arrival rate does: the messages due by t are the integral of the rate up to t, a
 * quadratic in each stage, which timeOf() inverts. speedUp() multiplies the rate from a given
 * time on (a client thread taking on the share of one that has run out of connections).
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

/** From `at` (ms from the start) on, the rate is `factor` times the schedule's own; `base` messages were due by then. */
interface Shift {
  at: number;
  base: number;
  factor: number;
  /** The unshifted count at `at`. */
  rawAt: number;
}

export class RateSchedule {
  private readonly segments: Segment[] = [];
  /** Constant rate, messages per ms (when there are no stages). */
  private readonly perMs: number;
  /** Messages due over the whole staged schedule (Infinity at a constant rate), before any speedUp(). */
  readonly total: number;
  /** speedUp()s, in time order. */
  private readonly shifts: Shift[] = [];

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

  /**
   * From `at` (ms from the start; no earlier than the last speedUp()'s) on, the rate is `factor`
   * times this schedule's own (factor 2: the messages of the unshifted schedule between `at` and
   * t come due by t twice over). What was due by `at` stays due by then.
   */
  speedUp(at: number, factor: number): void {
    const last = this.shifts.at(-1);
    const from = last ? Math.max(at, last.at) : at;
    this.shifts.push({ at: from, base: this.count(from), factor, rawAt: this.rawCount(from) });
  }

  /** The rate's multiple at `ms` (1 before any speedUp()). */
  factorAt(ms: number): number {
    for (let k = this.shifts.length - 1; k >= 0; k--) if (this.shifts[k]!.at <= ms) return this.shifts[k]!.factor;
    return 1;
  }

  /** Messages due by `ms` from the start (not rounded). */
  count(ms: number): number {
    for (let k = this.shifts.length - 1; k >= 0; k--) {
      const s = this.shifts[k]!;
      if (s.at <= ms) return s.base + (this.rawCount(ms) - s.rawAt) * s.factor;
    }
    return this.rawCount(ms);
  }

  /** When message `j` (0-based) is due, ms from the start; Infinity if the schedule never reaches it. */
  timeOf(j: number): number {
    for (let k = this.shifts.length - 1; k >= 0; k--) {
      const s = this.shifts[k]!;
      if (s.base <= j) return Math.max(s.at, this.rawTimeOf(s.rawAt + (j - s.base) / s.factor));
    }
    return this.rawTimeOf(j);
  }

  /** count() without the shifts. */
  private rawCount(ms: number): number {
    if (this.segments.length === 0) return ms * this.perMs;
    for (const s of this.segments) {
      if (ms < s.at + s.durationMs) {
        const t = Math.max(0, ms - s.at);
        return s.before + s.from * t + ((s.to - s.from) * t * t) / (2 * s.durationMs);
      }
    }
    return this.total;
  }

  /** timeOf() without the shifts. */
  private rawTimeOf(j: number): number {
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

/**
 * How the client threads of an open loop hand their shares of the rate on: a thread that has run
 * out of connections (the pool is empty and each of its own has sent its last frame) says when,
 * and the threads still sending take its share over from then (speedUp()), so that the run
 * offers the whole rate until its end. In a SharedArrayBuffer: an Int32 count of the threads that
 * have handed on, then each thread's time of it (ms since the Unix epoch, performance.timeOrigin
 * + performance.now(), which all threads of a process read alike; 0 while it runs).
 */
export class RateHandOn {
  private readonly count: Int32Array;
  private readonly times: Float64Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.count = new Int32Array(buffer, 0, 1);
    this.times = new Float64Array(buffer, 8);
  }

  /** The memory for `threads` threads. */
  static memory(threads: number): SharedArrayBuffer {
    return new SharedArrayBuffer(8 + 8 * threads);
  }

  /** Thread `index` hands its share on as of `epochMs` (once). */
  handOn(index: number, epochMs: number): void {
    this.times[index] = epochMs;
    // The time is written before the count that makes it seen (Atomics order the two).
    Atomics.add(this.count, 0, 1);
  }

  /** How many threads have handed on: cheap to poll for a change. */
  handedOn(): number {
    return Atomics.load(this.count, 0);
  }

  /** When thread `index` handed on (epoch ms), or 0 if it has not. */
  at(index: number): number {
    return this.times[index]!;
  }
}
