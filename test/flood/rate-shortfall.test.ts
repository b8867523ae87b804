// A rate the run cannot reach is warned about, in the JSON (`warnings`) and in yellow in the
// report, and the verdict does not change: 10,000,000 msg/s for 1 s, and 100,000 new connections
// a second through five slots that each hold their connection 300 ms (at most ~17 a second).
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runFlood } from '../../src/client/flood.js';
import { renderReport } from '../../src/client/cli/report.js';
import { useEchoServer } from '../helpers/faultyServers.js';

const YELLOW = '\x1b[33m';

describe('rate shortfall', () => {
  const server = useEchoServer();

  it('--msg-rate 10m: a message-rate warning, verdict PASS', async () => {
    const r = await runFlood({ target: `127.0.0.1:${server().port}`, msgRate: 10_000_000, durationMs: 1000, connections: 20, workers: 0 }).result;
    expect(r.verdict).toBe('PASS');
    expect(r.messages.targetPerSec).toBe(10_000_000);
    expect(r.messages.achievedPerSec).toBeGreaterThan(0);
    expect(r.messages.achievedPerSec).toBeLessThan(0.97 * 10_000_000);
    // The schedule's backlog at the deadline, which a server that answers does not hold up, is unsent.
    expect(r.messages.unsent).toBeGreaterThan(0);
    expect(r.warnings).toEqual([
      expect.stringMatching(/^message rate fell short: [\d.]+k? of the 10\.00M msg\/s asked \([\d.]+% below\)$/),
      `${r.messages.unsent} message(s) due by the schedule were never sent (no connection could take them before the run ended): the round trips leave them out`,
    ]);
    const report = renderReport(r, { color: true });
    // In yellow, word-wrapped to 80 columns (continuation lines indented by two).
    expect(report).toContain(`${YELLOW}warning: message rate fell short`);
    expect(stripVTControlCharacters(report).replace(/\n {2}/g, ' ')).toContain(`warning: ${r.warnings[0]}`);
    expect(report).toContain('open loop: target 10.00M msg/s, achieved ');
  }, 60_000);

  it('--rate beyond what -c lets open: a connection-rate warning, verdict PASS', async () => {
    const r = await runFlood({ target: `127.0.0.1:${server().port}`, rate: 100_000, durationMs: 1000, connections: 5, mix: { idle: 1 }, idleHoldMs: 300, workers: 0 }).result;
    expect(r.verdict).toBe('PASS');
    expect(r.connections.targetPerSec).toBe(100_000);
    expect(r.connections.achievedPerSec).toBeLessThan(100);
    expect(r.warnings).toEqual([expect.stringMatching(/^connection rate fell short: [\d.]+ of the 100\.0k connections\/s asked/)]);
    expect(renderReport(r, { color: true })).toContain(`${YELLOW}warning: connection rate fell short`);
  }, 60_000);

  // Three connections at 2 a second: the window is 1.5 s, so only a last start 45 ms late would warn.
  it('a rate that is kept: no warning', async () => {
    const r = await runFlood({ target: `127.0.0.1:${server().port}`, rate: 2, total: 3, connections: 3, mix: { graceful: 1 }, workers: 0 }).result;
    expect(r.verdict).toBe('PASS');
    expect(r.connections.achievedPerSec).toBeGreaterThanOrEqual(0.97 * 2);
    expect(r.warnings).toEqual([]);
    expect(renderReport(r)).not.toContain('warning:');
  }, 60_000);
});
