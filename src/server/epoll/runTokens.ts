/**
 * Run tokens: the epoll backend's stand-in for an IOCP's concurrency value. At most N workers run
 * at once, counting one asleep in epoll_wait; the others park on a futex and take turns. The
 * counts live in their own SharedArrayBuffer, made by the host and handed to every worker; each
 * worker keeps its own RunTurns.
 */

/** Longest a worker without a run token sleeps before it tries again (ms); a returned token wakes it sooner. */
const PARK_MS = 50;
/** Waits a worker takes in a row before it steps aside for a parked one. */
export const TURNS_BEFORE_YIELD = 64;
/** How long a worker that stepped aside sleeps before it asks for a token again (ms). */
const YIELD_NAP_MS = 2;

const T_FREE = 0; // free tokens, and the futex a parked worker sleeps on
const T_PARKED = 1; // workers in park() right now
const T_NAP = 2; // stays 0: a word to sleep on
const WORDS = 16; // one cache line of its own

export class RunTokens {
  readonly sab: SharedArrayBuffer;
  private readonly i32: Int32Array;

  /** The shared counts with `n` free tokens (main thread, once). */
  static create(n: number): RunTokens {
    const tokens = new RunTokens(new SharedArrayBuffer(WORDS * 4));
    Atomics.store(tokens.i32, T_FREE, n);
    return tokens;
  }

  /** Attach to counts made by create() (every worker). */
  constructor(sab: SharedArrayBuffer) {
    this.sab = sab;
    this.i32 = new Int32Array(sab);
  }

  /** Take a token; false when all are taken (then park). */
  take(): boolean {
    let n = Atomics.load(this.i32, T_FREE);
    while (n > 0) {
      const seen = Atomics.compareExchange(this.i32, T_FREE, n, n - 1);
      if (seen === n) return true;
      n = seen;
    }
    return false;
  }

  /** Give a token back and wake one parked worker to take it. */
  giveBack(): void {
    Atomics.add(this.i32, T_FREE, 1);
    if (Atomics.load(this.i32, T_PARKED) > 0) Atomics.notify(this.i32, T_FREE, 1);
  }

  /**
   * Sleep while no token is free: at most ms, less when giveBack wakes it. True when a token was
   * given back meanwhile: woken, or given back between counting itself parked and sleeping (then
   * the futex word is no longer 0 and the wait returns at once). Worker threads only.
   */
  park(ms: number): boolean {
    Atomics.add(this.i32, T_PARKED, 1);
    const r = Atomics.wait(this.i32, T_FREE, 0, ms);
    Atomics.sub(this.i32, T_PARKED, 1);
    return r !== 'timed-out';
  }

  /** Workers in park() right now. */
  parked(): number {
    return Atomics.load(this.i32, T_PARKED);
  }

  /** Sleep ms, holding nothing: lets a parked worker have a turn. Worker threads only. */
  nap(ms: number): void {
    Atomics.wait(this.i32, T_NAP, 0, ms);
  }
}

/**
 * One worker's use of the tokens: it keeps its token from one wait through the completions it
 * dispatches to the next wait, as an IOCP counts a released thread as running until it waits
 * again. With more runnable workers than cores, every burst of events became a burst of
 * preemptions and context switches. Unlike an IOCP's LIFO release, a busy worker steps aside now
 * and then, so every worker gets turns.
 */
export class RunTurns {
  private holding = false;
  private turns = 0;

  constructor(private readonly tokens: RunTokens) {}

  /** Before a wait: true when this worker holds a token and may wait; false when it parked or stepped aside instead. */
  begin(): boolean {
    if (this.holding && ++this.turns >= TURNS_BEFORE_YIELD && this.tokens.parked() > 0) {
      this.turns = 0;
      this.holding = false;
      this.tokens.giveBack(); // wakes a parked worker
      this.tokens.nap(YIELD_NAP_MS); // long enough for it to take the token
      return false;
    }
    if (!this.holding) {
      if (!this.tokens.take()) {
        this.tokens.park(PARK_MS);
        return false;
      }
      this.holding = true;
    }
    return true;
  }

  /** This worker's last wait: its token goes to a worker still waiting for its own exit sentinel. */
  leave(): void {
    if (!this.holding) return;
    this.holding = false;
    this.tokens.giveBack();
  }
}
