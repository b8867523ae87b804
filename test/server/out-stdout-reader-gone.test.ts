// `server --out -` whose stdout reader goes away (`| head -1`): the samples it could not write are
// lost as on a full disk (--out /dev/full): one line when the write fails, the server still drains,
// and at the end one line saying how many samples got out, exit 1; no stack trace, no crash.
import { expect, it } from 'vitest';
import { CLOSED_PIPE_CODE as CODE, readFirstLineThenClose } from '../helpers/cli.js';

it('server --out - | head -1: drained, then what stdout lacks, exit 1', async () => {
  const r = await readFirstLineThenClose(['server', '--port', '0', '--no-stats', '--duration', '2s', '--interval', '100ms', '--out', '-'], 30_000);
  // The reader got a sample before it went away.
  expect(JSON.parse(r.first)).toMatchObject({ elapsedMs: expect.any(Number), sessions: expect.any(Object) });
  const lines = r.stderr.trim().split('\n');
  expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^iocp-bench: --out: cannot write stdout: ${CODE}; no more samples written$`)));
  expect(r.stderr).toMatch(/stopped \(duration\)/);
  expect(r.stderr).not.toMatch(/NOT drained/);
  expect(lines.at(-1)).toMatch(new RegExp(`^iocp-bench: --out: stdout holds only the first \\d+ sample\\(s\\): a write failed \\(${CODE}\\)$`));
  expect(r.stderr).not.toMatch(/^\s+at |Unhandled|ERR_/m);
  expect(r.code).toBe(1);
}, 60_000);

// The one sample is the last, at the stop: its write fails after the server has judged, unless
// it waits for the write's outcome.
it('server --out - with its reader gone at once and one sample, at the stop: exit 1', async () => {
  const r = await readFirstLineThenClose(['server', '--port', '0', '--no-stats', '--duration', '500ms', '--interval', '10s', '--out', '-'], 30_000, true);
  expect(r.stderr.trim().split('\n').at(-1)).toMatch(new RegExp(`^iocp-bench: --out: stdout holds only the first 0 sample\\(s\\): a write failed \\(${CODE}\\)$`));
  expect(r.code).toBe(1);
}, 60_000);
