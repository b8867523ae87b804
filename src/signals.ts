/**
 * Stop signals, counted as a person sends them. `timeout(1)` signals its child and then its whole
 * process group, so the command it runs gets the same signal twice within microseconds (and a
 * terminal's Ctrl-C can reach a process along with a launcher's forwarded copy): a repeat of the
 * signal that came last, this soon after it, is the same request, not a second one.
 */
export const REPEAT_WINDOW_MS = 100;

/** Returns a filter: true for a signal that counts, false for a repeat within REPEAT_WINDOW_MS. */
export function signalCounter(now: () => number = () => performance.now()): (sig: NodeJS.Signals) => boolean {
  let last: { sig: NodeJS.Signals; at: number } | null = null;
  return (sig) => {
    const at = now();
    const repeat = last !== null && last.sig === sig && at - last.at < REPEAT_WINDOW_MS;
    if (!repeat) last = { sig, at };
    return !repeat;
  };
}
