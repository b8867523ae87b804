// Open loop at a --duration deadline: messages that came due while the server was frozen, and that
// no connection could take yet, still go out once it answers again (their round trips counted from
// their intended send times), instead of being dropped with the freeze left out of the
// percentiles. What is still unsent --timeout after the deadline is counted and warned about.
//
// --msg-rate 1000 for 2 s on 10 connections (one frame in flight each), against a server that
// freezes 1 s after the first connection: about 1000 messages come due during the freeze.
import { afterEach, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/client/cli/report.js';
import { runCliProcess } from '../helpers/cli.js';
import { startFreezingEcho, type FreezingEcho } from '../helpers/freezingEcho.js';

const servers: FreezingEcho[] = [];

async function flood(freezeMs: number, args: string[]) {
  const server = await startFreezingEcho(1000, freezeMs);
  servers.push(server);
  const r = await runCliProcess(
    ['flood', `127.0.0.1:${server.port}`, '--msg-rate', '1000', '-d', '2s', '-c', '10', '--messages', '100k', '--size', '64', '--workers', '1', '--json', '--no-progress', ...args],
    60_000,
  );
  return { code: r.code, stderr: r.stderr, result: JSON.parse(r.stdout) };
}

describe('open loop at the deadline', () => {
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('a freeze across the deadline: what came due during it is sent late, and shows at p99', async () => {
    // Frozen from 1 s to 2.5 s: past the deadline, within the default --timeout (5 s).
    const { code, stderr, result: r } = await flood(1500, ['--assert', 'unsent==0']);
    expect(code, stderr).toBe(0);
    expect(r.verdict).toBe('PASS');
    // The whole schedule went out: 2 s at 1000 msg/s (2000, or 2001 counting the one at t = 0).
    expect(r.messages.sent).toBeGreaterThanOrEqual(2000);
    expect(r.messages.sent).toBeLessThanOrEqual(2001);
    expect(r.messages.verified).toBe(r.messages.sent);
    expect(r.messages.unsent).toBe(0);
    expect(r.assertions).toMatchObject([{ expr: 'unsent==0', ok: true }]);
    // Half the messages came due in the freeze and waited 0.5 to 1.5 s: p99 is near 1.5 s.
    expect(r.latencyUs.roundTrip.p99).toBeGreaterThanOrEqual(1_000_000);
    expect(r.warnings.filter((w: string) => /never sent/.test(w))).toEqual([]);
    // The report's run line says what the time past the deadline was for.
    expect(renderReport(r).replace(/\n  /g, " ")).toMatch(/\nran [\d.]+ s: its schedule for 2s, then [\d.]+ s for what it had due and those still open to finish\n/);
  }, 60_000);

  it('a server frozen for good: what is still due --timeout after the deadline is counted and named', async () => {
    const { result: r } = await flood(Infinity, ['--timeout', '1s', '--assert', 'unsent==0']);
    expect(r.verdict).toBe('FAIL'); // the frames caught in the freeze stalled
    expect(r.messages.unsent).toBeGreaterThan(500);
    expect(r.messages.sent + r.messages.unsent).toBeGreaterThanOrEqual(2000);
    expect(r.assertions).toMatchObject([{ expr: 'unsent==0', ok: false, actual: r.messages.unsent }]);
    expect(r.warnings).toContain(
      `${r.messages.unsent} message(s) due by the schedule were never sent (no connection could take them before the run ended): the round trips leave them out`,
    );
    // Bounded: the backlog for --timeout past the deadline, then the frozen frames' own --timeout.
    expect(r.elapsedMs).toBeLessThan(2000 + 1000 + 1000 + 2000);
  }, 60_000);
});
