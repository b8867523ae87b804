// --stats-port names a port to serve the stats on; --no-stats serves none: given both, the
// server exits 2 with one line instead of serving with the port ignored. --stats-port 0 (its
// default, "pick one") beside --no-stats asks for no particular port and is still taken.
import { expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';

it('server --no-stats --stats-port 5: exit 2, one line, nothing served', async () => {
  const r = await runCliProcess(['server', '-p', '0', '--duration', '1s', '--no-stats', '--stats-port', '5']);
  expect(r.code).toBe(2);
  expect(r.stderr.trim()).toBe('iocp-bench: --stats-port: not with --no-stats (got "5")');
  expect(r.stdout).toBe('');
});

it('server --stats-port 0 --no-stats: stats off, exit 0', async () => {
  const r = await runCliProcess(['server', '-p', '0', '--workers', '1', '--duration', '200ms', '--stats-port', '0', '--no-stats']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/stats off\n/);
});
