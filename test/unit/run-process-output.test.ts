// The test helper that runs processes returns all their output: what is still in the pipes when
// the process exits, and what a child of it writes after that (within the grace), without waiting
// for ever on a child that keeps the pipes open.
import { describe, expect, it } from 'vitest';
import { EXIT_GRACE_MS, runProcess } from '../helpers/cli.js';

describe.runIf(process.platform !== 'win32')('runProcess', () => {
  it('collects output written after the process has exited', async () => {
    // The shell exits at once; its background child writes 200 ms later, on the same pipes.
    const r = await runProcess('sh', ['-c', '(sleep 0.2; echo late; echo also-late >&2) & exit 3'], 10_000);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('late\n');
    expect(r.stderr).toBe('also-late\n');
  });

  it('returns once the grace has passed when a child keeps the pipes open', async () => {
    const started = performance.now();
    const r = await runProcess('sh', ['-c', 'echo before; sleep 5 & exit 0'], 10_000);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('before\n');
    // Not a timing claim: only that it did not wait for the 5 s child.
    expect(performance.now() - started).toBeLessThan(EXIT_GRACE_MS + 2500);
  });

  it('returns every byte of a large output', async () => {
    const r = await runProcess(process.execPath, ['-e', "process.stdout.write('x'.repeat(1 << 20))"], 10_000);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(1 << 20);
  });
});
