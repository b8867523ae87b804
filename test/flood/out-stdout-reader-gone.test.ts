// `flood --out -` whose stdout reader goes away (`| head -1`): the samples it could not write are
// lost as on a full disk (--out /dev/full): one line when the write fails, the run goes on, its
// report still out (on stderr, with --out -), then one line saying how many samples got out, exit
// 1; no stack trace, no crash.
import { expect, it } from 'vitest';
import { CLOSED_PIPE_CODE as CODE, readFirstLineThenClose } from '../helpers/cli.js';

it('flood --out - | head -1: the report, then what stdout lacks, exit 1', async () => {
  const r = await readFirstLineThenClose(['flood', '-d', '2s', '-c', '10', '--workers', '1', '--interval', '100ms', '--out', '-', '--no-progress'], 60_000);
  // The reader got a sample before it went away.
  expect(JSON.parse(r.first)).toMatchObject({ elapsedMs: expect.any(Number), roundTripUs: expect.any(Object) });
  const lines = r.stderr.trim().split('\n');
  expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^iocp-bench: --out: cannot write stdout: ${CODE}; no more samples written$`)));
  // The report (on stderr with --out -) is out whole, its verdict last, then the line on --out.
  expect(lines.at(-2)).toBe('PASS');
  expect(lines.at(-1)).toMatch(new RegExp(`^iocp-bench: --out: stdout holds only the first \\d+ sample\\(s\\): a write failed \\(${CODE}\\)$`));
  expect(r.stderr).not.toMatch(/^\s+at |Unhandled|ERR_/m);
  expect(r.code).toBe(1);
}, 90_000);
