// An empty file name for --out, --report or report's -o (a shell variable that was never set:
// --out "$OUT") is a usage error before anything runs, like a file that cannot be written, not a
// full run whose samples are lost at the end.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { openSampleOut } from '../../src/sampleOut.js';
import { runCliProcess } from '../helpers/cli.js';

describe('an output with no file name', () => {
  it.each(['', ' '])('%j is refused when the file is opened', (name) => {
    expect(() => openSampleOut('--out', name, ['t'])).toThrow(new UsageError(`--out: needs a file name (- for stdout) (got "${name}")`));
  });

  it('the flood stops before its run, exit 2', async () => {
    const r = await runCliProcess(['flood', '-c', '1', '-n', '1', '--out', '']);
    expect(r.stderr).toBe('iocp-bench: --out: needs a file name (- for stdout) (got "")\n');
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });

  it('flood --report, merge --report and report -o', async () => {
    const cases: [string[], string][] = [
      [['flood', '-c', '1', '-n', '1', '--report', ''], '--report: needs a file name'],
      [['merge', 'a.json', '--report', ''], '--report: needs a file name (- for stdout)'],
      [['report', 'a.json', '-o', ''], '--output: needs a file name (- for stdout)'],
    ];
    for (const [args, message] of cases) {
      const r = await runCliProcess(args);
      expect(r.stderr).toBe(`iocp-bench: ${message} (got "")\n`);
      expect(r.stdout).toBe('');
      expect(r.code).toBe(2);
    }
  });

  it('the server stops before it listens, exit 2', async () => {
    const r = await runCliProcess(['server', '--port', '0', '--duration', '200ms', '--out', '']);
    expect(r.stderr).toBe('iocp-bench: --out: needs a file name (- for stdout) (got "")\n');
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });
});
