/**
 * Run tokens: the epoll backend's stand-in for an IOCP's concurrency value. At most N workers run
 * at once, counting one asleep in epoll_wait; the others park on a futex and take turns. The
 * counts live in their own SharedArrayBuffer, made by the host and handed to every worker; each
 * worker keeps its own RunTurns.
 */

/** Longest a worker without a run token sleeps before it looks again (ms); a returned token wakes it sooner. */
const PARK_MS = 50;

const T_TICKETS = 0; // the next ticket to hand out
const T_GRANTED = 1; // tickets below this one may run; the futex a parked worker sleeps on
const T_PARKED = 2; // workers in park() right now
const WORDS = 16; // one cache line of its own

/**
 * Tokens are served in the order they are asked for: a worker takes a ticket, and tickets below
 * the granted count run (n at the start, one more for each token given back). So the worker that
 * has waited longest gets the next token, and the workers take turns round the ring.
 */
export class RunTokens {
  readonly sab: SharedArrayBuffer;
  private readonly i32: Int32Array;

  /** The shared counts with `n` tokens (main thread, once). */
  static create(n: number): RunTokens {
    const tokens = new RunTokens(new SharedArrayBuffer(WORDS * 4));
    Atomics.store(tokens.i32, T_GRANTED, n);
    return tokens;
  }

  /** Attach to counts made by create() (every worker). */
  constructor(sab: SharedArrayBuffer) {
    this.sab = sab;
    this.i32 = new Int32Array(sab);
  }

  /** A place in the queue for a token. */
  ticket(): number {
    return Atomics.add(this.i32, T_TICKETS, 1);
  }

  /** Whether the ticket's token is free to run (the counts wrap round; the difference does not). */
  granted(ticket: number): boolean {
    return ((ticket - Atomics.load(this.i32, T_GRANTED)) | 0) < 0;
  }

  /** Give a token back: the oldest ticket still waiting may run; wake the parked workers to see whose it is. */
  giveBack(): void {
    Atomics.add(this.i32, T_GRANTED, 1);
    if (Atomics.load(this.i32, T_PARKED) > 0) Atomics.notify(this.i32, T_GRANTED);
  }

  /** Sleep until the ticket is granted, at most ms; true when it is. Worker threads only. */
  park(ticket: number, ms: number): boolean {
    Atomics.add(this.i32, T_PARKED, 1);
    const granted = Atomics.load(this.i32, T_GRANTED);
    // A token given back after that load changes the word, and the wait returns at once.
    if (((ticket - granted) | 0) >= 0) Atomics.wait(this.i32, T_GRANTED, granted, ms);
    Atomics.sub(this.i32, T_PARKED, 1);
    return this.granted(ticket);
  }

  /** Workers in park() right now. */
  parked(): number {
    return Atomics.load(this.i32, T_PARKED);
  }
}

/**
 * One worker's use of the tokens: it keeps its token from one wait through the completions it
 * dispatches to the next wait, as an IOCP counts a released thread as running until it waits
 * again. With more runnable workers than cores, every burst of events became a burst of
 * preemptions and context switches. Like an IOCP's last-in-first-out release, a busy worker keeps
 * its token for as long as there is work: handing it over under load cost 6-10% of the echo rate
 * at 1,000 connections here (the new holder starts on another core, beside the client's threads,
 * and one core idles more), even once every 1,024 waits. A worker whose wait found nothing steps
 * aside instead, so every worker gets turns over a run with pauses in it, at no cost to the load.
 */
export class RunTurns {
  private holding = false;
  /** This worker's place in the queue while it waits for a token (while hasTicket). */
  private ticket = 0;
  private hasTicket = false;

  constructor(private readonly tokens: RunTokens) {}

  /** Before a wait: true when this worker holds a token and may wait; false when it parked instead. */
  begin(): boolean {
    if (this.holding) return true;
    if (!this.hasTicket) {
      this.ticket = this.tokens.ticket();
      this.hasTicket = true;
    }
    if (this.tokens.granted(this.ticket)) {
      this.hasTicket = false;
      this.holding = true;
      return true;
    }
    // Back to the worker's loop either way; the next begin() finds the token if it came.
    if (this.tokens.park(this.ticket, PARK_MS)) {
      this.hasTicket = false;
      this.holding = true;
    }
    return false;
  }

  /** The wait just made found nothing before its timeout: the longest-waiting worker has a turn. */
  idle(): void {
    if (!this.holding || this.tokens.parked() === 0) return;
    this.holding = false;
    this.tokens.giveBack();
  }

  /** This worker's last wait: its token goes to a worker still waiting for its own exit sentinel. */
  leave(): void {
    if (!this.holding) return;
    this.holding = false;
    this.tokens.giveBack();
  }

  /**
   * This worker is dying (an error it cannot handle): its token, or the token its ticket would be
   * granted, must not die with it, or with one token the whole server stops. A ticket cannot leave
   * the queue, so one token is given back for it now: it goes to the oldest ticket waiting, which
   * may be one ahead of the dead one. Then one worker more than N may run, until the dead ticket's
   * turn comes and takes that token out of the ring again. No token is ever lost.
   */
  abandon(): void {
    if (!this.holding && !this.hasTicket) return;
    this.holding = false;
    this.hasTicket = false;
    this.tokens.giveBack();
  }
}
