// runCli() guards stdout and stderr against a reader that went away (EPIPE) with one 'error'
// listener each for the whole process, not one more per call: a program that calls it many times
// gets no MaxListenersExceededWarning.
import { afterEach, expect, it, vi } from 'vitest';
import { runCli } from '../../src/index.js';

afterEach(() => vi.restoreAllMocks());

it('twelve calls add at most one error listener to stdout and stderr, and no warning', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.name);
  process.on('warning', onWarning);
  try {
    const before = [process.stdout.listenerCount('error'), process.stderr.listenerCount('error')];
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    // A usage error (a missing argument): one line on stderr, exit 2, nothing run.
    for (let i = 0; i < 12; i++) expect(await runCli(['report'])).toBe(2);
    const after = [process.stdout.listenerCount('error'), process.stderr.listenerCount('error')];
    expect(after[0]! - before[0]!).toBeLessThanOrEqual(1);
    expect(after[1]! - before[1]!).toBeLessThanOrEqual(1);
    // emitWarning() delivers on a later tick.
    await new Promise((r) => setImmediate(r));
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  } finally {
    process.off('warning', onWarning);
  }
});
