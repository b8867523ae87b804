/**
 * CPU time a Linux process has used (user + system, in seconds), from /proc/<pid>/stat; and the
 * share of one core it used over a window. For tests that a server idles instead of spinning.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ): 100 on every Linux architecture Node supports. */
const USER_HZ = 100;

export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / USER_HZ; // utime, stime (fields 14 and 15)
}

/** The share of one core `pid` used over the next `windowMs` (a measurement window, not a wait for a condition). */
export async function coreShare(pid: number, windowMs: number): Promise<number> {
  const c0 = cpuSeconds(pid);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, windowMs));
  return (cpuSeconds(pid) - c0) / ((performance.now() - t0) / 1000);
}
