/**
 * A native client thread's own event loop: epoll_wait with a timeout taken from the timer heap,
 * then the events (handed to the transport), the timers that are due, and the calls queued for
 * the end of the turn. Also the queue of calls that run as soon as the current callback returns.
 * Timers fire within the millisecond after their deadlines, as epoll_wait's whole-ms timeout
 * allows; a precise timer (the open loop's schedule) keeps its fractional deadline: when it falls
 * within a wait, the wake timer (a timerfd in the epoll set, wakeTimer.ts) ends the wait just
 * before it, and the rest is spun.
 */
import { performance } from 'node:perf_hooks';
import type { Libc } from '../../native/linux/libc.js';
import { TimerHeap, cancelTimer, type Timer } from './timerHeap.js';

/** Longest single block in epoll_wait: control flags (stop, abort) are seen within this. */
const MAX_BLOCK_MS = 50;

/**
 * The wake timer is armed this much before a precise timer's deadline, and the rest is spun: a
 * thread woken from epoll_wait gets to run tens of µs after its timer expires (up to ~100 µs from
 * idle on a busy or virtualized machine), and the spin takes that back. At most a twentieth of
 * the wait it ends (SPIN_SHARE), so that the spin costs at most ~5% of a core however close
 * together the timers come (at 100 msg/s, ~1%).
 */
const SPIN_MS = 0.1;
const SPIN_SHARE = 20;

/** Spins until performance.now() reaches `at` (at most SPIN_MS ahead; bounded in count as well). */
function spinUntil(at: number): void {
  for (let k = 0; k < 100_000 && performance.now() < at; k++);
}

/** What ends a wait at a sub-millisecond deadline (WakeTimer): armed `ms` (fractional) from now. */
export interface WakeUp {
  arm(ms: number): void;
}

/** What the loop asks of the transport it runs. */
export interface LoopOwner {
  /** Just before each epoll_wait. */
  beforeWait(): void;
  /** The `n` events the wait returned (n may be 0), before the turn's timers and turn-end calls. */
  handleEvents(n: number): void;
  /** Once the loop is over. */
  dispose(): void;
}

export class EventLoop {
  private readonly timers = new TimerHeap();
  /** Precise timers (setTimer(..., true)): few, apart, so that only they arm the wake timer. */
  private readonly precise = new TimerHeap();
  /** atTurnEnd(): run after the turn's events and due timers (queued by one of these calls: next turn). */
  private turnEndCalls: (() => void)[] = [];
  /** afterCallback(): run as soon as the callback that queued them returns, before any further event. */
  private afterCallbackCalls: (() => void)[] = [];
  /** Made once: the timer heap calls it after each timer. */
  private readonly afterTimer = (): void => this.callbackReturned();
  /** The deadline the wake timer is armed for (NaN: none): a wait for the same one does not re-arm it. */
  private armedAt = NaN;
  /** How long before `armedAt` it was armed to expire: the rest is spun (spinUntil()). */
  private armedEarly = 0;

  constructor(
    private readonly libc: Libc,
    private readonly epfd: number,
    private readonly eventsAddr: number,
    private readonly maxEvents: number,
    private readonly owner: LoopOwner,
    /** null: waits end at whole milliseconds (the timer then fires up to a millisecond late). */
    private readonly wake: WakeUp | null = null,
  ) {}

  /** `precise`: fired at its fractional deadline (see waitMs()), not within the millisecond after it. */
  setTimer(fn: () => void, ms: number, precise = false): Timer {
    return (precise ? this.precise : this.timers).add(fn, performance.now() + Math.max(0, ms));
  }

  clearTimer(t: Timer): void {
    cancelTimer(t);
  }

  atTurnEnd(fn: () => void): void {
    this.turnEndCalls.push(fn);
  }

  afterCallback(fn: () => void): void {
    this.afterCallbackCalls.push(fn);
  }

  /** Called after each callback the loop makes: runs what it queued with afterCallback(). */
  callbackReturned(): void {
    if (this.afterCallbackCalls.length > 0) this.runAfterCallbackCalls();
  }

  private runAfterCallbackCalls(): void {
    // Bounded: what these calls queue in turn runs after the next callback.
    const list = this.afterCallbackCalls;
    this.afterCallbackCalls = [];
    for (const fn of list) fn();
  }

  /**
   * Runs turns until `isDone()`, calling `onTurn` once per turn, then disposes of the owner. On a
   * thread of its own (`ownThread`) it blocks in epoll_wait; on the caller's thread it must not
   * block Node's loop, so each wait runs on libuv's thread pool (koffi's async call) and the turn
   * continues in its callback.
   */
  drive(isDone: () => boolean, onTurn: () => void, ownThread: boolean): void {
    if (!ownThread) {
      this.driveAsync(isDone, onTurn);
      return;
    }
    const libc = this.libc;
    while (!isDone()) {
      this.callbackReturned();
      onTurn();
      // onTurn is a callback too: what it queued runs before any event (a connection it opened
      // and queued to abort must not see its connect event first).
      this.callbackReturned();
      if (isDone()) break;
      this.owner.beforeWait();
      const n = libc.epoll_wait(this.epfd, this.eventsAddr, this.maxEvents, this.waitMs());
      this.turn(n);
    }
    this.owner.dispose();
  }

  private driveAsync(isDone: () => boolean, onTurn: () => void): void {
    const step = (): void => {
      this.callbackReturned();
      if (!isDone()) onTurn();
      this.callbackReturned();
      if (isDone()) {
        this.owner.dispose();
        return;
      }
      this.owner.beforeWait();
      this.libc.epoll_wait.async(this.epfd, this.eventsAddr, this.maxEvents, this.waitMs(), (err: unknown, n: number) => {
        this.turn(err ? 0 : n);
        step();
      });
    };
    step();
  }

  /**
   * How long the next epoll_wait may block: not at all while calls are queued; until the next
   * timer's deadline, rounded up to whole ms. A precise timer due within that wait arms the wake
   * timer for just before its deadline (SPIN_MS), and the wait that wakes there spins to the
   * deadline; the whole-ms timeout is then only a backstop, a millisecond past it.
   */
  private waitMs(): number {
    if (this.turnEndCalls.length > 0 || this.afterCallbackCalls.length > 0) return 0;
    const coarse = this.timers.nextDeadline();
    const at = this.precise.nextDeadline();
    const now = performance.now();
    const wait = coarse === Infinity ? MAX_BLOCK_MS : Math.min(MAX_BLOCK_MS, Math.max(0, Math.ceil(coarse - now)));
    if (at === Infinity || wait === 0) return wait;
    const left = at - now;
    if (left <= 0) return 0;
    if (left >= wait) return wait;
    if (this.wake === null) return Math.ceil(left);
    // Past the point the wake timer was armed for (or too close to a deadline for a wait to end
    // on time): the rest is spun.
    if ((at === this.armedAt && left <= this.armedEarly) || left <= SPIN_MS / SPIN_SHARE) {
      spinUntil(at);
      return 0;
    }
    if (at !== this.armedAt) {
      const early = Math.min(SPIN_MS, left / SPIN_SHARE);
      this.wake.arm(left - early);
      this.armedAt = at;
      this.armedEarly = early;
    }
    return Math.min(wait, Math.ceil(left) + 1);
  }

  /** One turn after a wait that returned `n` events: events, due timers, turn-end calls. */
  private turn(n: number): void {
    this.owner.handleEvents(n);
    if (this.precise.size > 0) this.precise.runDue(performance.now(), this.afterTimer);
    if (this.timers.size > 0) this.timers.runDue(performance.now(), this.afterTimer);
    if (this.turnEndCalls.length > 0) {
      const list = this.turnEndCalls;
      this.turnEndCalls = [];
      for (const fn of list) {
        fn();
        this.callbackReturned();
      }
    }
  }
}
