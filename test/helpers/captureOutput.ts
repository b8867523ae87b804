// What code under test writes to stdout and stderr, kept from the test run's terminal.
import { vi } from 'vitest';

/**
 * Captures both streams from now on, until vi.restoreAllMocks() or restore() (this capture's two
 * spies only, for a capture that ends before the test does): all of it in order, or each stream.
 */
export function captureOutput(): { all: () => string; stdout: () => string; stderr: () => string; restore: () => void } {
  let all = '';
  let out = '';
  let err = '';
  // As a stream's write(): the chunk taken, then its callback (when given) called, a tick later.
  const taking = (keep: (text: string) => void) =>
    ((chunk: unknown, ...rest: unknown[]) => {
      all += String(chunk);
      keep(String(chunk));
      const done = rest.find((a) => typeof a === 'function') as (() => void) | undefined;
      if (done) process.nextTick(done);
      return true;
    }) as typeof process.stdout.write;
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(taking((t) => (out += t))),
    vi.spyOn(process.stderr, 'write').mockImplementation(taking((t) => (err += t))),
  ];
  return { all: () => all, stdout: () => out, stderr: () => err, restore: () => spies.forEach((s) => s.mockRestore()) };
}
