// --out on a disk that fills up (Linux's /dev/full: every write fails with ENOSPC): the run goes on without
// its samples, says so at once and again at the end (what the file lacks), and exits 1 whatever
// its verdict or drain, as a report that cannot be written does. Both commands.
import { describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';

const FULL = '/dev/full';

// /dev/full is Linux's.
describe.runIf(process.platform === 'linux')('--out on a full disk', () => {
  it('flood --out /dev/full: the report, then what the file lacks, exit 1', async () => {
    const r = await runCliProcess(['flood', '-d', '1200ms', '-c', '20', '--interval', '200ms', '--out', FULL, '--no-progress'], 60_000);
    expect(r.stdout).toMatch(/\nPASS\n$/);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe(`iocp-bench: --out: cannot write ${FULL}: ENOSPC; no more samples written`);
    expect(lines.at(-1)).toBe(`iocp-bench: --out: ${FULL} holds only the first 0 sample(s): a write failed (ENOSPC)`);
    expect(r.code).toBe(1);
  });

  it('server --out /dev/full: drained, then what the file lacks, exit 1', async () => {
    const r = await runCliProcess(['server', '--port', '0', '--duration', '600ms', '--interval', '200ms', '--out', FULL, '--no-stats']);
    expect(r.stdout).toMatch(/stopped \(duration\)/);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(`iocp-bench: --out: ${FULL} holds only the first 0 sample(s): a write failed (ENOSPC)`);
    expect(r.code).toBe(1);
  });
});
