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
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((all += String(chunk)), (out += String(chunk)), true)),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((all += String(chunk)), (err += String(chunk)), true)),
  ];
  return { all: () => all, stdout: () => out, stderr: () => err, restore: () => spies.forEach((s) => s.mockRestore()) };
}
