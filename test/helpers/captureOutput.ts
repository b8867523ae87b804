// What code under test writes to stdout and stderr, kept from the test run's terminal.
import { vi } from 'vitest';

/** Captures both streams from now on, until vi.restoreAllMocks(): all of it in order, or each stream. */
export function captureOutput(): { all: () => string; stdout: () => string; stderr: () => string } {
  let all = '';
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((all += String(chunk)), (out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((all += String(chunk)), (err += String(chunk)), true));
  return { all: () => all, stdout: () => out, stderr: () => err };
}
