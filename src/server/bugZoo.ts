/**
 * The bug zoo: `--lifetime <fault>` runs the refcount lifetime with one real reference-counting bug
 * put back on purpose, so that a flood (or a reader) can see what each one does. The README's
 * "Bug zoo" table gives each fault's symptom on Windows. The engine asks these flags at the few
 * places the bugs live; with `refcount` every flag is false and the pause is never taken.
 *
 * Races that need two threads in a window of a few instructions almost never show on a 2-core
 * machine, so the faults that are races also widen their window with a short sleep at the point
 * where the real bug's thread would be preempted, as a race detector's scheduler would.
 */
/** Every fault the zoo has, in the order the README lists them. */
export const LIFETIME_FAULTS = ['double-release', 'late-acquire', 'no-recheck', 'early-rewind', 'revive-zero'] as const;
export type LifetimeFault = (typeof LIFETIME_FAULTS)[number];

export function isFault(lifetime: string): lifetime is LifetimeFault {
  return (LIFETIME_FAULTS as readonly string[]).includes(lifetime);
}

/** How long a widened race window stays open (ms): long enough for another worker's completion. */
const WINDOW_MS = 0.5;

export class BugZoo {
  /** A failed completion releases its reference twice. */
  readonly doubleRelease: boolean;
  /** The reference of a post is taken after the OS call instead of before it. */
  readonly lateAcquire: boolean;
  /** A post does not re-check the session's state afterwards, so a close that raced it is missed. */
  readonly noRecheck: boolean;
  /** An emptied ring rewinds to 0 even while a receive is posted into its old tail. */
  readonly earlyRewind: boolean;
  /** A closer that owns no operation takes a reference even from a slot already at zero. */
  readonly reviveZero: boolean;
  private readonly nap = new Int32Array(new SharedArrayBuffer(4));

  constructor(lifetime: string) {
    this.doubleRelease = lifetime === 'double-release';
    this.lateAcquire = lifetime === 'late-acquire';
    this.noRecheck = lifetime === 'no-recheck';
    this.earlyRewind = lifetime === 'early-rewind';
    this.reviveZero = lifetime === 'revive-zero';
  }

  /** Hold a race window open: this thread sleeps where the real bug's thread would be preempted. */
  widen(): void {
    Atomics.wait(this.nap, 0, 0, WINDOW_MS);
  }
}
