// --stats-host names an address to serve the stats on; --no-stats serves none: given both, the
// server exits 2 with one line instead of serving with the address ignored. The default address
// beside --no-stats names nothing the user chose and is still taken, as --stats-port 0 is.
import { expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';

it('server --no-stats --stats-host ::1: exit 2, one line, nothing served', async () => {
  const r = await runCliProcess(['server', '-p', '0', '--duration', '1s', '--no-stats', '--stats-host', '::1']);
  expect(r.code).toBe(2);
  expect(r.stderr.trim()).toBe('iocp-bench: --stats-host: not with --no-stats (got "::1")');
  expect(r.stdout).toBe('');
});

it('server --stats-host 127.0.0.1 --no-stats: stats off, exit 0', async () => {
  const r = await runCliProcess(['server', '-p', '0', '--workers', '1', '--duration', '200ms', '--stats-host', '127.0.0.1', '--no-stats']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/stats off\n/);
});
