/**
 * ClientEngine: one client thread's share of the flood. It claims connection indices, keeps its
 * connections open up to its share, paces them by --rate, sweeps for stalls and counts every
 * outcome; the thread's transport does the I/O. With --msg-rate it also runs the thread's message
 * schedule (open loop): message j is due at t0 + j / rate and goes out on the next connection that
 * can take it, however late that is.
 */
import { performance } from 'node:perf_hooks';
import type { Histogram } from 'hdr-histogram-js';
import { FrameCodec } from '../verify/frame.js';
import { FloodConnection, type ConnectionHost } from './connection.js';
import type { Diagnosis, FaultClass } from '../verify/diagnose.js';
import { stageTarget, type EngineConfig } from '../options.js';
import { RateHandOn, RateSchedule } from './rateSchedule.js';
import { planConnection, type DisconnectMode } from './scenarios.js';
import { C, encodeHistogram, errorSlot, faultSlot, modeSlot, newCounters, newHistogram, type ErrorKind, type Outcome } from './floodCounters.js';
import { NativeTransport } from '../transport/nativeTransport.js';
import { NetTransport } from '../transport/netTransport.js';
import type { ClientTransport, TimerHandle, TransportName } from '../transport/transport.js';

/** How often timeouts are checked: a stall is reported within timeout + this. */
const SWEEP_MS = 100;
/** After a divergence, how long to wait for more bytes before judging with what came. */
const DIVERGE_GRACE_MS = 50;
/** Connections opened per event-loop turn: opening thousands in one go would delay the first
 * ones' connect and echo events behind the rest, and inflate every latency measured. */
const BURST = 64;
/** Examples kept per thread, so the report can say which connection went wrong and how. */
const MAX_SAMPLES = 20;
/** Open loop: messages sent per dispatch before the rest waits for the end of the loop's turn,
 * so that a schedule far behind (a rate the machine cannot reach) never starves the loop. */
const DISPATCH_BURST = 256;
/** Open loop: a message is due this close to its time (ms): the timer set for it fires at a time
 * computed apart from its own, which may fall a rounding error short. */
const DUE_SLACK_MS = 1e-6;
/** Open loop: no echo verified for this long at a --duration deadline means the server is stalled. */
const STALLED_MS = 250;

export interface FaultSample {
  connection: number;
  mode: DisconnectMode;
  fault: FaultClass;
  detail: string;
}
export interface ErrorSample {
  connection: number;
  mode: DisconnectMode;
  kind: ErrorKind;
  message: string;
}

/** What one thread hands back when it is done. */
export interface EngineReport {
  /** The transport this thread ran on (uring falls back to native where its ring cannot be set up). */
  transport: TransportName;
  counters: Float64Array;
  rtt: string;
  /** Open loop: round trips from the call that sent each frame (service time); empty otherwise. */
  serviceTime: string;
  connect: string;
  /**
   * Where this thread's paced windows ended (ms from its start): its last new connection under
   * --rate, and its last scheduled message under --msg-rate, each plus one interval of its pace;
   * 0 when unpaced or nothing started. The achieved rates are counted over these windows.
   */
  connectWindowMs: number;
  messageWindowMs: number;
  faultSamples: FaultSample[];
  errorSamples: ErrorSample[];
}

/**
 * One thread's share of one interval sample: its counters at the interval's end (cumulative: the
 * sample takes the difference) and the round trips completed in it, encoded.
 */
export interface IntervalPart {
  counters: Float64Array;
  rtt: string;
  /** Open loop only (null in closed loop). */
  serviceTime: string | null;
}

/** Control words a thread's owner may set in `control[0]` (a SharedArrayBuffer): seen every loop turn. */
export const CONTROL_STOP = 1;
export const CONTROL_ABORT = 2;

/** This thread's share of the flood. */
export interface EngineShare {
  /** Connections this thread keeps open at once. */
  maxActive: number;
  /** New connections per second from this thread; 0 = unlimited. */
  rate: number;
  /** Open loop: messages per second from this thread; 0 = closed loop. */
  msgRate: number;
  /** This thread's place among the flood's threads (index of `of`): its slice of a --stages target. */
  index: number;
  of: number;
  /**
   * Open loop on several threads: the memory (RateHandOn) through which a thread that has run out
   * of connections hands its share of the rate on to those still sending. Absent: it stays its own.
   */
  handOn?: SharedArrayBuffer;
}

/**
 * Runs one thread's connections: claims connection indices from a counter shared by all threads
 * (so every index runs exactly once, whichever thread is free), keeps `maxActive` of them open,
 * paces new ones by `rate`, and sweeps for stalls.
 */
export class ClientEngine implements ConnectionHost {
  readonly counters = newCounters();
  readonly rtt: Histogram = newHistogram();
  readonly serviceTime: Histogram = newHistogram();
  readonly connectLatency: Histogram = newHistogram();
  readonly intervalRtt: Histogram = newHistogram();
  readonly intervalServiceTime: Histogram = newHistogram();
  readonly codec: FrameCodec;
  readonly transport: ClientTransport;
  /** Running connections, each at its `activeIndex` (swap-removed when it ends). */
  private readonly active: FloodConnection[] = [];
  private readonly faultSamples: FaultSample[] = [];
  private readonly errorSamples: ErrorSample[] = [];
  private claiming = true;
  draining = false;
  private started = 0;
  /** When run() began: --duration and --rate count from here. */
  private t0 = performance.now();
  private sweepTimer: TimerHandle | null = null;
  private paceTimer: TimerHandle | null = null;
  private controlSeen = 0;
  private burstPending = false;
  private resolveDone: (() => void) | null = null;
  /** Open loop (--msg-rate): the schedule runs on this thread. */
  readonly openLoop: boolean;
  readonly pipeline: number;
  /** Open loop: index of the next scheduled message, and when the last one went out (ms from t0). */
  private nextMessage = 0;
  /** Open loop: when each message is due (ms from t0), and how many the schedule has in all. */
  private readonly schedule: RateSchedule;
  private scheduled: number;
  private lastSendMs = -1;
  private lastStartMs = -1;
  /**
   * Under --rate, how long after the start this thread's pace begins (ms): its place among the
   * threads, i / rate. Without it every thread opened its first connection at once, and a
   * --rate 1 on two threads opened two every two seconds rather than one a second.
   */
  private readonly paceOffsetMs: number;
  /** Open loop: when (performance.now()) the sweep last saw an echo verified, and the count it saw. */
  private lastEchoAt = 0;
  private verifiedSeen = 0;
  /** Open loop past a --duration deadline: see lateUntil(); -1 until the deadline. */
  private lateUntilMs = -1;
  private dispatchTimer: TimerHandle | null = null;
  private dispatchDeferred = false;
  private dispatching = false;
  /** Called as a stop begins (intervals.ts: a boundary just passed is taken before connections end). */
  beforeStop: (() => void) | null = null;
  /** Where the search for a connection that can take a message resumes: round robin. */
  private cursor = 0;
  /** Next connection index to run, or -1 when there are no more (then `poolEmpty`). */
  private readonly claim: () => number;
  private poolEmpty = false;
  /** Open loop on several threads: see EngineShare.handOn; null otherwise. */
  private readonly handOn: RateHandOn | null;
  /** This thread has handed its share on (it has nothing left to send). */
  private handedOn = false;
  /** Threads whose share this one has taken its part of, the hand-on count it last saw, and the threads still sending. */
  private readonly takenOver: boolean[];
  private handOnsSeen = 0;
  private sending: number;

  constructor(
    private readonly cfg: EngineConfig,
    private readonly share: EngineShare,
    /** Next connection index to run, or -1 when there are no more. */
    claim: () => number,
    /**
     * Set when this engine runs on a client thread of its own: a control word (CONTROL_STOP /
     * CONTROL_ABORT) set by the thread that started it; the native transport may then block.
     */
    private readonly control: Int32Array | null = null,
  ) {
    this.codec = new FrameCodec(cfg.seed, cfg.maxFrameBytes);
    this.claim = () => {
      const index = claim();
      if (index < 0) this.poolEmpty = true;
      return index;
    };
    this.paceOffsetMs = share.rate > 0 ? (share.index / (share.rate * share.of)) * 1000 : 0;
    this.openLoop = share.msgRate > 0;
    this.handOn = this.openLoop && share.handOn ? new RateHandOn(share.handOn) : null;
    this.takenOver = new Array<boolean>(share.of).fill(false);
    this.sending = share.of;
    this.schedule = new RateSchedule(share.msgRate, cfg.msgStages, 1 / share.of);
    // A run by time ends its schedule at the deadline.
    this.scheduled = cfg.durationMs > 0 ? Math.ceil(this.schedule.count(cfg.durationMs)) : Infinity;
    this.pipeline = cfg.pipeline;
    this.transport =
      cfg.transport === 'net'
        ? new NetTransport(cfg.host, cfg.port, cfg.sources)
        : new NativeTransport(cfg.host, cfg.port, cfg.transport === 'uring', cfg.sources);
  }

  /**
   * Resolves when every connection this thread started has ended. On the native transport in a
   * worker thread this blocks in the transport's loop until then.
   */
  run(): Promise<void> {
    const done = new Promise<void>((resolve) => {
      this.resolveDone = resolve;
    });
    this.t0 = this.lastEchoAt = performance.now();
    this.armSweep();
    this.pump();
    if (this.openLoop) this.dispatch();
    this.handOnIfSpent(); // a thread that found no connection at all
    this.transport.drive(
      () => this.resolveDone === null,
      () => this.pollControl(),
      this.control !== null,
    );
    return done;
  }

  private armSweep(): void {
    this.sweepTimer = this.transport.setTimer(() => {
      this.sweepTimer = null;
      this.sweep();
      if (this.resolveDone) this.armSweep();
    }, SWEEP_MS);
  }

  private pollControl(): void {
    if (!this.control) return;
    const c = Atomics.load(this.control, 0);
    if (c === this.controlSeen) return;
    this.controlSeen = c;
    if (c === CONTROL_ABORT) this.abort();
    else if (c === CONTROL_STOP) this.stop();
  }

  /** Start no new connections; running ones end after their current echo (FIN, counted ok). */
  stop(sendDue = true): void {
    if (!this.draining) this.beforeStop?.();
    if (this.openLoop && !this.draining) {
      if (sendDue) this.dispatch(); // what is due now goes out if it can (a no-op when dispatch() stops)
      this.countUnsent();
    }
    this.claiming = false;
    this.draining = true;
    if (this.openLoop) {
      if (this.dispatchTimer) this.transport.clearTimer(this.dispatchTimer);
      this.dispatchTimer = null;
      // Nothing more is scheduled: every connection sends its FIN behind what it has sent.
      for (const conn of this.active.slice()) if (conn.canCloseWrite()) conn.closeWrite();
    }
    this.checkDone();
  }

  /**
   * Open loop, at the stop: the messages the schedule had due by now that no connection sent.
   * Only for a run by time (a run by count has no schedule's end to be due by) that ran (a stop
   * during a --start-at wait comes before it), and not for a thread with nothing left to send:
   * one that handed its share on (the threads that took it count it), or whose pool is empty and
   * whose connections have all sent their last frame.
   */
  private countUnsent(): void {
    if (this.resolveDone === null || !Number.isFinite(this.scheduled) || this.handedOn) return;
    if (this.poolEmpty && this.active.every((conn) => conn.finSent || conn.done)) return;
    const due = Math.min(Math.floor(this.schedule.count(performance.now() - this.t0)) + 1, this.scheduled);
    this.counters[C.messagesUnsent] = Math.max(0, due - this.nextMessage);
  }

  /** End every running connection now (counted as aborted, not as faults). */
  abort(): void {
    this.stop(false); // nothing more is written to sockets about to be destroyed
    for (const conn of this.active.slice()) this.abortOne(conn);
  }

  private abortOne(conn: FloodConnection): void {
    conn.done = true;
    if (conn.timer) this.transport.clearTimer(conn.timer);
    conn.socket.destroy();
    this.finished(conn, 'aborted');
  }

  report(): EngineReport {
    return {
      transport: this.transport.name,
      counters: this.counters,
      rtt: encodeHistogram(this.rtt),
      serviceTime: encodeHistogram(this.serviceTime),
      connect: encodeHistogram(this.connectLatency),
      connectWindowMs: this.share.rate > 0 && this.lastStartMs >= 0 ? this.lastStartMs - this.paceOffsetMs + 1000 / this.share.rate : 0,
      // A ramped rate's window is its whole schedule: the pace of its last message says nothing.
      messageWindowMs:
        !this.openLoop || this.lastSendMs < 0
          ? 0
          : this.cfg.msgStages.length
            ? this.cfg.durationMs
            : this.lastSendMs + 1000 / (this.share.msgRate * this.schedule.factorAt(this.lastSendMs)),
      faultSamples: this.faultSamples,
      errorSamples: this.errorSamples,
    };
  }

  /** This thread's part of the interval that ends now; the interval histograms start over. */
  takeInterval(): IntervalPart {
    const part: IntervalPart = {
      counters: this.counters.slice(),
      rtt: encodeHistogram(this.intervalRtt),
      serviceTime: this.openLoop ? encodeHistogram(this.intervalServiceTime) : null,
    };
    this.intervalRtt.reset();
    this.intervalServiceTime.reset();
    return part;
  }

  finished(conn: FloodConnection, outcome: Outcome, why?: Diagnosis | { kind: ErrorKind; message: string }): void {
    const at = conn.activeIndex;
    if (at < 0) return;
    const last = this.active.pop()!;
    if (last !== conn) {
      this.active[at] = last;
      last.activeIndex = at;
    }
    conn.activeIndex = -1;
    const c = this.counters;
    const mode = conn.plan.mode;
    c[C.active]!--;
    if (outcome === 'ok') {
      c[C.ok]!++;
      c[modeSlot(mode, 'ok')]!++;
    } else if (outcome === 'fault') {
      const d = why as Diagnosis;
      c[C.faulted]!++;
      c[modeSlot(mode, 'fault')]!++;
      c[faultSlot(d.fault)]!++;
      if (this.faultSamples.length < MAX_SAMPLES) this.faultSamples.push({ connection: conn.plan.index, mode, fault: d.fault, detail: d.detail });
    } else if (outcome === 'error') {
      const e = why as { kind: ErrorKind; message: string };
      c[C.errored]!++;
      c[modeSlot(mode, 'error')]!++;
      c[errorSlot(e.kind)]!++;
      if (this.errorSamples.length < MAX_SAMPLES) this.errorSamples.push({ connection: conn.plan.index, mode, kind: e.kind, message: e.message });
    } else {
      c[C.aborted]!++;
    }
    this.pump();
    this.handOnIfSpent();
  }

  /**
   * Open loop, once past the deadline: until when (ms from t0) messages due by it still go out. If
   * the server has stopped answering, what came due during its stall waits, late, for it to answer
   * again (on the running connections and new ones), so that the stall shows in the round trips:
   * for --timeout past the deadline at most. Behind a server that answers, what is due waits
   * STALLED_MS at most (the few messages a busy moment left waiting for a free connection go out;
   * a client behind a rate it cannot reach stops there). Either way what is left is counted as
   * unsent (stop()).
   */
  private lateUntil(): number {
    if (this.lateUntilMs < 0) {
      const stalled = performance.now() - this.lastEchoAt >= STALLED_MS;
      this.lateUntilMs = this.cfg.durationMs + (stalled ? this.cfg.timeoutMs : STALLED_MS);
    }
    return this.lateUntilMs;
  }

  /** Opens connections while there is room, the pace allows and indices remain. */
  private pump(): void {
    const cfg = this.cfg;
    if (this.burstPending) return;
    const elapsed = performance.now() - this.t0;
    if (this.claiming && cfg.durationMs > 0 && elapsed >= cfg.durationMs) {
      // Open loop: what is due by the deadline goes out, if connections can take it (dispatch()
      // stops once the whole schedule is out); what is left waits only behind a stalled server.
      if (this.openLoop) this.dispatch();
      // A closed loop stops at the deadline: only the open loop has a schedule's backlog.
      if (this.claiming && (!this.openLoop || elapsed >= this.lateUntil())) this.stop();
    }
    let burst = 0;
    const limit = this.activeLimit();
    while (this.claiming && this.active.length < limit) {
      if (burst++ === BURST) {
        this.burstPending = true;
        this.transport.defer(() => {
          this.burstPending = false;
          this.pump();
        });
        return;
      }
      if (this.share.rate > 0) {
        // Paced from this thread's place in the round (paceOffsetMs): thread i of n opens its k-th
        // connection at (i + k n) / rate, so the threads' starts interleave one by one.
        const paced = performance.now() - this.t0 - this.paceOffsetMs;
        const allowed = paced < 0 ? 0 : Math.floor((paced / 1000) * this.share.rate) + 1;
        if (this.started >= allowed) {
          if (!this.paceTimer) {
            const wait = Math.max(1, ((this.started / this.share.rate) * 1000) - paced);
            this.paceTimer = this.transport.setTimer(() => {
              this.paceTimer = null;
              this.pump();
            }, Math.min(wait, 100));
          }
          break;
        }
      }
      const index = this.claim();
      if (index < 0) {
        this.claiming = false;
        break;
      }
      this.started++;
      this.lastStartMs = performance.now() - this.t0;
      const plan = planConnection(index, cfg);
      this.counters[C.started]!++;
      this.counters[C.active]!++;
      this.counters[modeSlot(plan.mode, 'started')]!++;
      const conn = new FloodConnection(this, plan);
      conn.activeIndex = this.active.push(conn) - 1;
      if (this.active.length > this.counters[C.peakActive]!) this.counters[C.peakActive] = this.active.length;
    }
    this.checkDone();
  }

  /**
   * Open loop: sends every message due by now (message j is due at t0 + schedule.timeOf(j)) on the
   * connections that can take one, round robin. What none can take stays due, and late: it goes
   * when a connection is ready again (an echo came back, a new one connected), which calls this
   * again. Past a --duration deadline, messages due after it are not sent; those due by it still
   * are (pump() bounds how long that may take).
   */
  dispatch(): void {
    if (!this.openLoop || this.draining || this.dispatching || !this.resolveDone) return;
    this.dispatching = true;
    try {
      if (this.handOn !== null) this.takeOver();
      const elapsed = performance.now() - this.t0;
      let due = Math.min(Math.floor(this.schedule.count(elapsed)) + 1, this.scheduled);
      // The message the timer was set for is due at its time, whichever way count() rounds there.
      if (due < this.scheduled && this.schedule.timeOf(due) <= elapsed + DUE_SLACK_MS) due++;
      let sent = 0;
      while (this.nextMessage < due) {
        if (sent === DISPATCH_BURST) {
          if (!this.dispatchDeferred) {
            this.dispatchDeferred = true;
            this.transport.defer(() => {
              this.dispatchDeferred = false;
              this.dispatch();
            });
          }
          return;
        }
        const conn = this.readyConnection();
        if (!conn) return; // stays due: the next echo or connect calls dispatch() again
        conn.sendScheduled(this.t0 + this.schedule.timeOf(this.nextMessage));
        this.nextMessage++;
        sent++;
        this.lastSendMs = performance.now() - this.t0;
      }
      if (this.nextMessage >= this.scheduled) {
        this.stop(); // the schedule ends at the deadline
        return;
      }
      if (!this.dispatchTimer) {
        // The exact wait, not rounded to whole ms, on a precise timer: the native loop wakes at
        // this deadline (eventLoop.ts); net's setTimeout rounds it to its own millisecond.
        const wait = this.t0 + this.schedule.timeOf(this.nextMessage) - performance.now();
        this.dispatchTimer = this.transport.setTimer(
          () => {
            this.dispatchTimer = null;
            this.dispatch();
          },
          Math.max(0, wait),
          true,
        );
      }
    } finally {
      this.dispatching = false;
      this.handOnIfSpent();
    }
  }

  /**
   * Open loop on several threads: once the pool of connections is empty and each of this
   * thread's own has sent its last frame, it can send nothing more; its share of the rate goes to
   * the threads still sending (takeOver()), so that the run offers the whole rate to its end.
   */
  private handOnIfSpent(): void {
    if (this.handOn === null || this.handedOn || !this.poolEmpty || this.draining) return;
    for (const conn of this.active) if (!conn.finSent && !conn.done) return;
    this.handedOn = true;
    // As of when its next message would have been due: its share is spent up to then (a moment
    // ago if it fell behind, a gap ahead if it kept up).
    const next = this.t0 + this.schedule.timeOf(this.nextMessage);
    this.handOn.handOn(this.share.index, performance.timeOrigin + (Number.isFinite(next) ? next : performance.now()));
  }

  /**
   * Takes this thread's part of the shares handed on since it last looked: from each hand-on's
   * time, the threads still sending split the flood's rate between them. Never from before the
   * last message this thread sent was due, so that the next is not due before it.
   */
  private takeOver(): void {
    const h = this.handOn!;
    const seen = h.handedOn();
    if (seen === this.handOnsSeen || this.handedOn) return;
    this.handOnsSeen = seen;
    const { index, of } = this.share;
    const times: number[] = [];
    for (let i = 0; i < of; i++) {
      if (i === index || this.takenOver[i] || h.at(i) === 0) continue;
      this.takenOver[i] = true;
      times.push(h.at(i));
    }
    if (times.length === 0) return;
    times.sort((a, b) => a - b);
    const epochT0 = performance.timeOrigin + this.t0;
    const lastDue = this.nextMessage > 0 ? this.schedule.timeOf(this.nextMessage - 1) : 0;
    for (const at of times) {
      this.sending = Math.max(1, this.sending - 1);
      this.schedule.speedUp(Math.max(at - epochT0, lastDue), of / this.sending);
    }
    if (this.cfg.durationMs > 0) this.scheduled = Math.ceil(this.schedule.count(this.cfg.durationMs));
  }

  /** A running connection that can take a scheduled message now, round robin; null when none can. */
  private readyConnection(): FloodConnection | null {
    const n = this.active.length;
    for (let k = 0; k < n; k++) {
      if (this.cursor >= n) this.cursor = 0;
      const conn = this.active[this.cursor++]!;
      if (conn.canTakeMessage(this.pipeline)) return conn;
    }
    return null;
  }

  /** Connections this thread may have open now: its share, or its slice of the --stages target. */
  private activeLimit(): number {
    const stages = this.cfg.stages;
    if (stages.length === 0) return this.share.maxActive;
    const target = stageTarget(stages, performance.now() - this.t0);
    const { index, of } = this.share;
    return Math.floor(target / of) + (index < target % of ? 1 : 0);
  }

  private sweep(): void {
    const now = performance.now();
    if (this.counters[C.messagesVerified] !== this.verifiedSeen) {
      this.verifiedSeen = this.counters[C.messagesVerified]!;
      this.lastEchoAt = now;
    }
    const limit = this.cfg.timeoutMs;
    // A run by time gives what is still echoing --timeout past its deadline (past the open loop's
    // late sends) and then aborts it: a server that trickles bytes keeps each echo progressing,
    // never stalled, and would hold the run's end for as long as it likes. Idle holders keep
    // their --hold.
    const windingDown = !this.claiming && this.cfg.durationMs > 0 && now - this.t0 >= this.windDownEnd();
    for (const conn of this.active.slice()) {
      if (conn.activeIndex < 0) continue; // ended by an earlier one's callbacks
      if (conn.divergedAt > 0 && now - conn.divergedAt >= Math.min(DIVERGE_GRACE_MS, limit)) conn.diagnoseNow();
      else if (conn.awaiting && now - conn.lastProgress >= limit) conn.onTimeout();
      else if (conn.awaiting && windingDown) this.abortOne(conn);
    }
    // A duration run also has to notice its deadline when no connection ends to trigger pump().
    if (this.claiming && this.cfg.durationMs > 0) this.pump();
  }

  /** When (ms from t0) a run by time aborts what is still running: --timeout past its deadline, or past the open loop's late sends. */
  private windDownEnd(): number {
    return Math.max(this.cfg.durationMs, this.lateUntilMs) + this.cfg.timeoutMs;
  }

  private checkDone(): void {
    if (this.claiming || this.active.length > 0 || !this.resolveDone) return;
    if (this.sweepTimer) this.transport.clearTimer(this.sweepTimer);
    if (this.paceTimer) this.transport.clearTimer(this.paceTimer);
    if (this.dispatchTimer) this.transport.clearTimer(this.dispatchTimer);
    this.sweepTimer = this.paceTimer = this.dispatchTimer = null;
    const resolve = this.resolveDone;
    this.resolveDone = null;
    resolve();
  }
}
