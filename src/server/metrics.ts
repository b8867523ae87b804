/**
 * GET /metrics through prom-client: the server's counters as Prometheus counters and gauges in
 * base units (seconds, bytes), beside the library's default process and Node.js metrics. Every
 * scrape reads one stats snapshot; each metric's collect() copies its value from it.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { ServerStats } from './types.js';

type Kind = 'counter' | 'gauge';
interface Def {
  name: string;
  kind: Kind;
  help: string;
  value: (s: ServerStats) => number | undefined;
}

const x = (key: string) => (s: ServerStats) => s.extra[key];

/** Every metric the server exports besides the defaults. Names follow Prometheus' conventions. */
const DEFS: Def[] = [
  { name: 'uptime_seconds', kind: 'gauge', help: 'Seconds since the server started.', value: (s) => s.uptimeMs / 1000 },
  { name: 'sessions_live', kind: 'gauge', help: 'Sessions accepted and not yet freed.', value: (s) => s.sessions.live },
  { name: 'sessions_peak', kind: 'gauge', help: 'Most sessions live at once since the start.', value: (s) => s.sessions.peak },
  { name: 'sessions_accepted_total', kind: 'counter', help: 'Connections accepted as sessions.', value: (s) => s.sessions.accepted },
  { name: 'sessions_freed_total', kind: 'counter', help: 'Sessions freed (in a correct server, once each, after their last pending operation completed; see double_frees_total).', value: (s) => s.sessions.freed },
  { name: 'sessions_rejected_total', kind: 'counter', help: 'Connections reset at once: the session table was full or the process was out of descriptors.', value: (s) => s.sessions.rejected },
  { name: 'sessions_idle_closed_total', kind: 'counter', help: 'Sessions reset by the idle timeout.', value: x('idleClosed') },
  { name: 'ops_outstanding', kind: 'gauge', help: 'Receives and sends posted and not yet completed.', value: (s) => s.ops.outstanding },
  { name: 'ops_posted_total', kind: 'counter', help: 'Receives and sends posted.', value: (s) => s.ops.posted },
  { name: 'ops_completed_total', kind: 'counter', help: 'Receives and sends completed.', value: (s) => s.ops.completed },
  { name: 'ops_failed_total', kind: 'counter', help: 'Receives and sends that completed with an error.', value: (s) => s.ops.failed },
  { name: 'stale_completions_total', kind: 'counter', help: 'Completions that arrived for a freed or reused session (0 in a correct server).', value: (s) => s.staleCompletions },
  { name: 'double_frees_total', kind: 'counter', help: 'Sessions freed twice (0 in a correct server).', value: x('doubleFrees') },
  { name: 'received_bytes_total', kind: 'counter', help: 'Bytes received from clients.', value: (s) => s.bytes.in },
  { name: 'echoed_bytes_total', kind: 'counter', help: 'Bytes echoed back to clients.', value: (s) => s.bytes.out },
  { name: 'sends_pending_total', kind: 'counter', help: "Sends that had to wait for room in the socket's send buffer.", value: x('sendBackpressure') },
  { name: 'send_descriptor_resets_total', kind: 'counter', help: 'Sessions reset because a send that had to wait found no descriptor below --fd-reserve to wait on (epoll).', value: x('sendDescriptorResets') },
  { name: 'zero_byte_reads_total', kind: 'counter', help: 'Receives posted as zero-byte reads (IOCP).', value: x('zeroByteReads') },
  { name: 'accept_failures_total', kind: 'counter', help: 'Accepts that failed (a client reset while queued, or out of descriptors).', value: x('acceptFailures') },
  { name: 'accepts_pending', kind: 'gauge', help: 'AcceptEx operations posted and not yet completed (IOCP).', value: x('acceptPending') },
  { name: 'io_uring_workers', kind: 'gauge', help: 'Workers of the epoll backend that batch their receives and sends through io_uring.', value: x('ioUringWorkers') },
  { name: 'io_uring_enters_total', kind: 'counter', help: 'Calls of io_uring_enter made by the epoll workers.', value: x('ioUringCalls') },
  { name: 'io_uring_ops_total', kind: 'counter', help: "Receives, sends and closes (with a reset's SO_LINGER) carried by io_uring.", value: x('ioUringOps') },
  { name: 'io_uring_closes_total', kind: 'counter', help: "Sockets the epoll workers closed through io_uring, in a call with others, instead of by a close() of their own (a session's socket, and the duplicate a waiting send used).", value: x('ioUringCloses') },
  { name: 'worker_failures', kind: 'gauge', help: '1 when a worker thread failed (the server keeps serving on the others).', value: x('workerFailures') },
];

export interface MetricsEndpoint {
  contentType: string;
  /** The text exposition; rejects when a collector fails (for example, out of descriptors). */
  render(): Promise<string>;
}

export function createMetrics(read: () => ServerStats): MetricsEndpoint {
  const registry = new Registry();
  const first = read();
  registry.setDefaultLabels({ backend: first.backend, lifetime: first.lifetime });
  collectDefaultMetrics({ register: registry });
  let snap: ServerStats = first;

  for (const d of DEFS) {
    const name = `iocp_bench_${d.name}`;
    if (d.kind === 'gauge') {
      new Gauge({
        name, help: d.help, registers: [registry],
        collect() {
          const v = d.value(snap);
          if (v === undefined) this.reset();
          else this.set(v);
        },
      });
    } else {
      new Counter({
        name, help: d.help, registers: [registry],
        collect() {
          this.reset();
          const v = d.value(snap);
          if (v !== undefined) this.inc(v);
        },
      });
    }
  }
  new Counter({
    name: 'iocp_bench_worker_completions_total',
    help: 'Completions dequeued by each worker thread.',
    labelNames: ['worker'],
    registers: [registry],
    collect() {
      this.reset();
      snap.perWorker.forEach((w, i) => this.inc({ worker: String(i) }, w.completions));
    },
  });

  return {
    contentType: registry.contentType,
    render() {
      snap = read();
      return registry.metrics();
    },
  };
}
