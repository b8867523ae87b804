// Errors that the command-line parser finds before the flood runs (an unknown or misspelt flag, a
// choice that is not one, a missing value, a second target) keep --json's promise too: one ERROR
// object on stdout, exit 2, and on stderr the same one line in the form of the command's own
// errors, `iocp-bench: ...`, with commander's guess or else a pointer to --help.
import { expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';

it.each([
  [['--conections', '10'], "unknown option '--conections' (Did you mean --connections?)", ''],
  [['--profile', 'fast'], "option '--profile <name>' argument 'fast' is invalid. Allowed choices are default, stress.", ' (see --help)'],
  [['-c'], "option '-c, --connections <n>' argument missing", ' (see --help)'],
  [['127.0.0.1:1', '127.0.0.1:2'], "too many arguments for 'flood'. Expected 1 argument but got 2.", ' (see --help)'],
])('flood --json %j: one ERROR object, exit 2', async (args, message, hint) => {
  const r = await runCliProcess(['flood', '--json', ...args]);
  expect(r.code).toBe(2);
  expect(r.stdout.trim().split('\n')).toHaveLength(1);
  expect(JSON.parse(r.stdout)).toEqual({ verdict: 'ERROR', reasons: [message], error: { code: 'E_USAGE' } });
  expect(r.stderr).toBe(`iocp-bench: ${hint ? message.replace(/\.$/, '') : message}${hint}\n`);
});

it('without --json a parser error writes nothing on stdout', async () => {
  const r = await runCliProcess(['flood', '--conections', '10']);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe("iocp-bench: unknown option '--conections' (Did you mean --connections?)\n");
});
