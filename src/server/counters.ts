/**
 * Statistics counters. Each worker owns one row of a shared Float64Array and is its only writer,
 * so counting costs a plain store with no contended cache line; the main thread sums the rows
 * when /stats is read. Live and peak sessions are in the session table (they need atomics).
 */
import type { SessionTable } from './sessionTable.js';
import type { BackendName, Lifetime, ServerStats } from './types.js';

export const C_ACCEPTED = 0;
export const C_FREED = 1;
export const C_REJECTED = 2;
export const C_POSTED = 3;
export const C_COMPLETED = 4;
export const C_FAILED = 5;
export const C_STALE = 6;
export const C_BYTES_IN = 7;
export const C_BYTES_OUT = 8;
export const C_COMPLETIONS = 9;
export const C_IDLE_CLOSED = 10;
export const C_ACCEPT_FAILURES = 11;
export const C_DOUBLE_FREES = 12;
export const C_SEND_BACKPRESSURE = 13;
/** AcceptEx operations (IOCP): kept apart from ops.* so a listening server reads outstanding 0. */
export const C_ACCEPT_POSTED = 14;
export const C_ACCEPT_COMPLETED = 15;
/** Receives posted as zero-byte reads (IOCP): no buffer is held while the session waits. */
export const C_ZERO_READS = 16;
/** epoll workers that batch through io_uring (each adds 1), its calls, and the operations they carried (receives, sends, closes and a reset's SO_LINGER). */
export const C_RING_WORKERS = 17;
export const C_RING_CALLS = 18;
export const C_RING_OPS = 19;
/** epoll: sessions reset because a send that had to wait found no descriptor below --fd-reserve for its registration. */
export const C_SEND_NO_DESCRIPTOR = 20;
/** epoll: close() calls held for the ring and made in it (also in C_RING_OPS). */
export const C_RING_CLOSES = 21;
export const ROW = 22;

/** Names of the counters reported under `extra`. */
const EXTRA: Array<[string, number]> = [
  ['idleClosed', C_IDLE_CLOSED],
  ['acceptFailures', C_ACCEPT_FAILURES],
  ['doubleFrees', C_DOUBLE_FREES],
  ['sendBackpressure', C_SEND_BACKPRESSURE],
  ['zeroByteReads', C_ZERO_READS],
  ['ioUringWorkers', C_RING_WORKERS],
  ['ioUringCalls', C_RING_CALLS],
  ['ioUringOps', C_RING_OPS],
  ['ioUringCloses', C_RING_CLOSES],
  ['sendDescriptorResets', C_SEND_NO_DESCRIPTOR],
];

export class Counters {
  readonly sab: SharedArrayBuffer;
  readonly rows: number;
  private readonly f64: Float64Array;

  /** `rows` = workers + 1: the last row belongs to the main thread. */
  constructor(rowsOrSab: number | SharedArrayBuffer) {
    this.sab =
      typeof rowsOrSab === 'number' ? new SharedArrayBuffer(rowsOrSab * ROW * 8) : rowsOrSab;
    this.f64 = new Float64Array(this.sab);
    this.rows = this.f64.length / ROW;
  }

  /** The row a worker (or the main thread, index rows-1) writes to. */
  row(index: number): Float64Array {
    return this.f64.subarray(index * ROW, (index + 1) * ROW);
  }

  sum(counter: number): number {
    let total = 0;
    for (let r = 0; r < this.rows; r++) total += this.f64[r * ROW + counter];
    return total;
  }

  /** Every operation the kernel still holds, AcceptEx included: what shutdown waits for. */
  outstanding(): number {
    return this.sum(C_POSTED) - this.sum(C_COMPLETED) + this.sum(C_ACCEPT_POSTED) - this.sum(C_ACCEPT_COMPLETED);
  }

  snapshot(meta: {
    backend: BackendName;
    workers: number;
    lifetime: Lifetime;
    listen: { host: string; port: number };
    startedAt: number;
    table: SessionTable | null;
    live?: number;
    peak?: number;
  }): ServerStats {
    const s = (c: number) => this.sum(c);
    const perWorker: Array<{ completions: number }> = [];
    for (let r = 0; r < meta.workers; r++) perWorker.push({ completions: this.f64[r * ROW + C_COMPLETIONS] });
    const extra: Record<string, number> = {};
    for (const [name, c] of EXTRA) extra[name] = s(c);
    extra.acceptPending = s(C_ACCEPT_POSTED) - s(C_ACCEPT_COMPLETED);
    return {
      backend: meta.backend,
      workers: meta.workers,
      lifetime: meta.lifetime,
      listen: meta.listen,
      uptimeMs: Date.now() - meta.startedAt,
      sessions: {
        live: meta.table ? meta.table.live() : (meta.live ?? 0),
        peak: meta.table ? meta.table.peak() : (meta.peak ?? 0),
        accepted: s(C_ACCEPTED),
        freed: s(C_FREED),
        rejected: s(C_REJECTED),
      },
      ops: {
        outstanding: s(C_POSTED) - s(C_COMPLETED),
        posted: s(C_POSTED),
        completed: s(C_COMPLETED),
        failed: s(C_FAILED),
      },
      staleCompletions: s(C_STALE),
      bytes: { in: s(C_BYTES_IN), out: s(C_BYTES_OUT) },
      perWorker,
      extra,
    };
  }
}
