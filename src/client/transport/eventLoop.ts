/**
 * A native client thread's own event loop: epoll_wait with a timeout taken from the timer heap,
 * then the events (handed to the transport), the timers that are due, and the calls queued for
 * the end of the turn. Also the queue of calls that run as soon as the current callback returns.
 */
import { performance } from 'node:perf_hooks';
import type { Libc } from '../../native/linux/libc.js';
import { TimerHeap, type Timer } from './timerHeap.js';

/** Longest single block in epoll_wait: control flags (stop, abort) are seen within this. */
const MAX_BLOCK_MS = 50;

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
  /** atTurnEnd(): run after the turn's events and due timers (queued by one of these calls: next turn). */
  private turnEndCalls: (() => void)[] = [];
  /** afterCallback(): run as soon as the callback that queued them returns, before any further event. */
  private afterCallbackCalls: (() => void)[] = [];
  /** Made once: the timer heap calls it after each timer. */
  private readonly afterTimer = (): void => this.callbackReturned();

  constructor(
    private readonly libc: Libc,
    private readonly epfd: number,
    private readonly eventsAddr: number,
    private readonly maxEvents: number,
    private readonly owner: LoopOwner,
  ) {}

  setTimer(fn: () => void, ms: number): Timer {
    return this.timers.add(fn, performance.now() + Math.max(0, ms));
  }

  clearTimer(t: Timer): void {
    this.timers.cancel(t);
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

  /** How long the next epoll_wait may block: not at all while calls are queued. */
  private waitMs(): number {
    if (this.turnEndCalls.length > 0 || this.afterCallbackCalls.length > 0) return 0;
    const at = this.timers.nextDeadline();
    if (at === Infinity) return MAX_BLOCK_MS;
    return Math.min(MAX_BLOCK_MS, Math.max(0, Math.ceil(at - performance.now())));
  }

  /** One turn after a wait that returned `n` events: events, due timers, turn-end calls. */
  private turn(n: number): void {
    this.owner.handleEvents(n);
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
