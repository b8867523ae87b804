// An error of the command-line parser is one line on stderr like every other error: what was
// wrong and, where commander has no guess (Did you mean ...?), a pointer to --help.
import { expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';

it.each([
  [['server', '--bogus'], "unknown option '--bogus' (see --help)"],
  [['server', '--backend', 'foo'], "option '--backend <name>' argument 'foo' is invalid. Allowed choices are auto, epoll, iocp, node (see --help)"],
  [['report', 'a.json', 'b.json'], "too many arguments for 'report'. Expected 1 argument but got 2 (see --help)"],
  [['merge'], "missing required argument 'files' (see --help)"],
  [['bogus'], "unknown command 'bogus' (see --help)"],
  [['flood', '--conections', '3'], "unknown option '--conections' (Did you mean --connections?)"],
])('%j: one line, exit 2', async (args, message) => {
  const r = await runCliProcess(args);
  expect(r.stderr).toBe(`iocp-bench: ${message}\n`);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
});
