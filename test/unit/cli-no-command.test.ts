// `iocp-bench` with no command shows the help on stderr and exits 2, a usage error: a script
// that lost its subcommand does not pass for one that ran. Help asked for (`--help`, `help`,
// `help flood`) still exits 0, on stdout.
import { afterEach, expect, it, vi } from 'vitest';
import { runCli } from '../../src/index.js';

function capture(): { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  return { out: () => out, err: () => err };
}

afterEach(() => vi.restoreAllMocks());

it('no command: the help on stderr, exit 2', async () => {
  const c = capture();
  expect(await runCli([])).toBe(2);
  expect(c.out()).toBe('');
  expect(c.err()).toMatch(/^Usage: iocp-bench \[options\] \[command\]/);
});

it.each([[['--help']], [['help']], [['help', 'flood']]])('%j: the help on stdout, exit 0', async (argv) => {
  const c = capture();
  expect(await runCli(argv)).toBe(0);
  expect(c.out()).toMatch(/^Usage: iocp-bench /);
});
