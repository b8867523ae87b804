/**
 * The server's counters in interval samples: an embedded server's or a /stats source's, read
 * shortly before each interval boundary without ever holding a sample up.
 */
import type { ServerStats } from '../../server/index.js';
import type { StatsSource } from './leakCheck.js';
import type { IntervalSample } from './samples.js';

/** The counters an interval sample shows of a server's stats (null: none readable). */
export function serverSample(s: ServerStats | null): IntervalSample['server'] {
  if (!s) return null;
  const rss = s.extra?.rssBytes;
  const twice = s.extra?.doubleFrees; // 0 where a backend does not count them
  return {
    live: s.sessions.live,
    outstanding: s.ops.outstanding,
    accepted: s.sessions.accepted,
    freed: s.sessions.freed,
    staleCompletions: s.staleCompletions,
    doubleFrees: typeof twice === 'number' ? twice : 0,
    rssBytes: typeof rss === 'number' ? rss : null,
  };
}

/**
 * Reads `source` shortly before each interval boundary (one read at a time: a slow one is not
 * stacked up). latest() is the latest reading, null before the first and after a failed one; it
 * never throws.
 */
export class StatsPoller {
  private reading: ServerStats | null = null;
  private inFlight = false;
  private timer: NodeJS.Timeout | null = null;
  private next = 1;
  /** readLast() has run: a reading still in flight no longer counts. */
  private ended = false;

  constructor(
    private readonly source: StatsSource,
    private readonly intervalMs: number,
    /** The flood's start, performance.now(). */
    private readonly t0: number,
  ) {
    this.poll();
    this.schedule();
  }

  latest(): IntervalSample['server'] {
    return serverSample(this.reading);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * The run has ended: one more reading for its last sample, which latest() then returns. Waited
   * for at most `capMs` (a server that does not answer by then shows no counters there, not the
   * ones of an interval before); no more readings follow.
   */
  async readLast(capMs: number): Promise<void> {
    this.stop();
    this.ended = true;
    let timer: NodeJS.Timeout | undefined;
    let reading: ServerStats | null = null;
    const read = Promise.resolve()
      .then(() => this.source())
      .then(
        (s) => void (reading = s),
        () => undefined,
      );
    const cap = new Promise<void>((resolve) => (timer = setTimeout(resolve, capMs)));
    try {
      await Promise.race([read, cap]);
    } finally {
      clearTimeout(timer);
    }
    this.reading = reading;
  }

  private schedule(): void {
    // A little before the boundary, so that the sample taken at it finds this reading.
    const lead = Math.min(50, this.intervalMs / 10);
    const at = this.t0 + this.next * this.intervalMs - lead;
    this.timer = setTimeout(() => {
      this.next = Math.max(this.next + 1, Math.floor((performance.now() - this.t0) / this.intervalMs) + 1);
      this.poll();
      this.schedule();
    }, Math.max(0, at - performance.now()));
    this.timer.unref();
  }

  private poll(): void {
    if (this.inFlight) return;
    this.inFlight = true;
    Promise.resolve()
      .then(() => this.source())
      .then(
        (s) => {
          if (!this.ended) this.reading = s;
        },
        () => {
          if (!this.ended) this.reading = null;
        },
      )
      .finally(() => (this.inFlight = false));
  }
}
