// --report is tried for writing before the flood runs (open to append, which changes nothing): a
// destination that cannot be written is a usage error at once, not a run whose report is lost at
// the end; the try leaves an existing file as it was and creates none.
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkReportPath } from '../../src/report/write.js';
import { runCliProcess } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-report-try-'));

describe('--report that cannot be written', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // /proc/self takes no new file, even from root (the tests may run as root, whom permissions do not stop).
  it.runIf(process.platform === 'linux')('flood --report where no file can be created: exit 2 before the run', async () => {
    const r = await runCliProcess(['flood', '-n', '1', '--report', '/proc/self/r.html', '--no-progress']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('iocp-bench: --report: cannot write it: ENOENT (got "/proc/self/r.html")\n');
  });

  it('the try changes nothing: an existing file keeps its bytes, a new name is not left behind', () => {
    const kept = path.join(dir, 'kept.html');
    writeFileSync(kept, 'earlier report');
    checkReportPath('--report', kept);
    expect(readFileSync(kept, 'utf8')).toBe('earlier report');
    const fresh = path.join(dir, 'fresh.html');
    checkReportPath('--report', fresh);
    expect(existsSync(fresh)).toBe(false);
  });

  // Symlinks need no privilege on Linux: a link to a file not yet written is kept as it is.
  it.runIf(process.platform === 'linux')('a symlink to a report not yet written stays a symlink, its target unwritten', () => {
    const link = path.join(dir, 'latest.html');
    symlinkSync(path.join(dir, 'run-7.html'), link);
    checkReportPath('--report', link);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(existsSync(path.join(dir, 'run-7.html'))).toBe(false);
  });
});
