// A server killed mid-flood (kill -9 once connections are flowing, in a 30 s run): the flood ends
// within its --timeout of the death with "FAIL: server went away" and exit 1, instead of hammering
// the dead port to the end and calling the cut connections data faults.
import { describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { settle, startServerProcess } from '../helpers/serverProcess.js';

describe('flood against a server that dies', () => {
  it.each([['with --stats', true], ['without --stats', false]])('%s: FAIL, server went away, exit 1', async (_label, withStats) => {
    const server = await startServerProcess([]);
    const args = ['flood', `127.0.0.1:${server.port}`, '-d', '30s', '-c', '50', '--timeout', '5s', '--json', '--no-progress'];
    if (withStats) args.push('--stats', server.statsUrl);
    const flood = runCliProcess(args, 60_000);
    const flowing = await settle(server.stats, (s) => s.sessions.accepted >= 200, 20_000);
    expect(flowing.sessions.accepted).toBeGreaterThanOrEqual(200);
    const killedAt = Date.now();
    server.child.kill('SIGKILL');
    const { code, stdout } = await flood;
    const afterDeathMs = Date.now() - killedAt;
    expect(code).toBe(1);
    const r = JSON.parse(stdout);
    expect(r.verdict).toBe('FAIL');
    expect(r.reasons).toHaveLength(1);
    expect(r.reasons[0]).toMatch(/^server went away: nothing verified since [\d.]+ s into the run, then \d+ connects? refused \(run ended at [\d.]+ s; \d+ faults? and \d+ errors? of cut-off connections not judged\)$/);
    expect(r.serverGone.refused).toBeGreaterThanOrEqual(3);
    expect(r.leak.status).toBe('not-run');
    expect(afterDeathMs).toBeLessThan(5000);
    expect(r.elapsedMs).toBeLessThan(25_000);
  }, 90_000);
});
