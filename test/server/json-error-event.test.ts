// `server --json` logs JSON lines; when it stops before "listening" (a bad flag, a port in use) its
// last line is an error event with the message of the one line on stderr (which adds, for the
// parser's errors, the pointer to --help), and the exit code says which kind (2 usage, 1 runtime).
import { expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { useBusyPort } from '../helpers/ports.js';

const busyPort = useBusyPort();

it.each([
  ['a port in use', () => ['--port', String(busyPort())], 1, 'EADDRINUSE', /^bind failed: EADDRINUSE \(\d+\) to 127\.0\.0\.1:\d+; another process listens there/],
  ['a value out of range', () => ['--port', '70000'], 2, 'E_USAGE', /^--port: must be a whole number in 0\.\.65535 \(got "70000"\)$/],
  ['an unknown option', () => ['--bogus'], 2, 'E_USAGE', /^unknown option '--bogus'$/],
] as const)('%s: an error event on stdout, the line on stderr', async (_name, args, code, errorCode, message) => {
  const r = await runCliProcess(['server', '--json', ...args()]);
  expect(r.code).toBe(code);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const e = JSON.parse(lines[0]!);
  expect(e).toEqual({ event: 'error', reasons: [expect.stringMatching(message)], error: { code: errorCode } });
  // A parser error's line adds the pointer to --help that the JSON leaves out.
  const hint = /^unknown option/.test(e.reasons[0]) ? ' (see --help)' : '';
  expect(r.stderr.split('\n')[0]).toBe(`iocp-bench: ${e.reasons[0]}${hint}`);
});

it('with --out - (samples on stdout), the error event goes to stderr', async () => {
  const r = await runCliProcess(['server', '--json', '--out', '-', '--port', String(busyPort())]);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^\{"event":"error","reasons":\["bind failed: EADDRINUSE/);
});
