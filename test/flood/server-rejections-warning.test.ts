// A flood beyond the server's --max-sessions: the server resets what it cannot take and counts it
// in sessions.rejected. Those resets are network errors, which do not fail a run, but the result
// says where they came from: a warning with the server's own count over the run (--stats).
import { expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { useServerProcess } from '../helpers/serverProcess.js';

const server = useServerProcess(['--max-sessions', '20']);

it('rejections during the run are a warning with their count', async () => {
  const before = await server().stats();
  const r = await runCliProcess(['flood', `127.0.0.1:${server().port}`, '-c', '100', '-n', '400', '--mix', 'graceful=1', '--seed', '2', '--stats', server().statsUrl, '--json', '--no-progress'], 60_000);
  const j = JSON.parse(r.stdout);
  const rejected = j.leak.after.sessions.rejected - before.sessions.rejected;
  expect(rejected).toBeGreaterThan(0);
  expect(j.warnings).toContain(
    `the server rejected ${rejected} connection(s) at its session or descriptor limit: reset on arrival, they count among the network errors`,
  );
  expect(j.errors.total).toBeGreaterThan(0);
}, 90_000);
