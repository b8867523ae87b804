// `iocp-bench` with no command shows the help on stderr and exits 2, a usage error: a script
// that lost its subcommand does not pass for one that ran. Help asked for (`--help`, `help`,
// `help flood`) still exits 0, on stdout; `help` for a command there is not says so in its last line.
import { afterEach, expect, it, vi } from 'vitest';
import { runCli } from '../../src/index.js';
import { captureOutput } from '../helpers/captureOutput.js';

afterEach(() => vi.restoreAllMocks());

it('no command: the help on stderr, exit 2', async () => {
  const c = captureOutput();
  expect(await runCli([])).toBe(2);
  expect(c.stdout()).toBe('');
  expect(c.stderr()).toMatch(/^Usage: iocp-bench \[options\] \[command\]/);
});

it.each([[['--help']], [['help']], [['help', 'flood']]])('%j: the help on stdout, exit 0', async (argv) => {
  const c = captureOutput();
  expect(await runCli(argv)).toBe(0);
  expect(c.stdout()).toMatch(/^Usage: iocp-bench /);
});

it('help for a command there is not: the help on stderr, then one line that says so, exit 2', async () => {
  const c = captureOutput();
  expect(await runCli(['help', 'flod'])).toBe(2);
  expect(c.stdout()).toBe('');
  expect(c.stderr()).toMatch(/^Usage: iocp-bench \[options\] \[command\][\s\S]*\niocp-bench: unknown command 'flod' \(see --help\)\n$/);
});
