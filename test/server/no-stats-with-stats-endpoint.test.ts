// --stats-port and --stats-host name where to serve the stats; --no-stats serves none: given one
// of them with --no-stats, the server exits 2 with one line instead of serving with it ignored.
// Their defaults (--stats-port 0, "pick one", and the default address) beside --no-stats name
// nothing the user chose and are still taken.
import { expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';

it.each([
  ['--stats-port', '5'],
  ['--stats-host', '::1'],
])('server --no-stats %s %s: exit 2, one line, nothing served', async (flag, value) => {
  const r = await runCliProcess(['server', '-p', '0', '--duration', '1s', '--no-stats', flag, value]);
  expect(r.code).toBe(2);
  expect(r.stderr.trim()).toBe(`iocp-bench: ${flag}: not with --no-stats (got "${value}")`);
  expect(r.stdout).toBe('');
});

it.each([
  ['--stats-port', '0'],
  ['--stats-host', '127.0.0.1'],
])('server %s %s --no-stats: stats off, exit 0', async (flag, value) => {
  const r = await runCliProcess(['server', '-p', '0', '--workers', '1', '--duration', '200ms', flag, value, '--no-stats']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/stats off\n/);
});
