// The concurrency a run actually reached is reported (connections.peakActive), and the report
// says so when it fell short of what was asked, instead of promising "N at once".
import { describe, expect, it } from 'vitest';
import { runFlood } from '../../src/client/flood.js';
import { renderReport } from '../../src/client/cli/report.js';
import { useEchoServer } from '../helpers/faultyServers.js';

/** `text` as a pattern that matches it however the report wrapped it (any run of blanks and line breaks for a space). */
const wrapped = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/ /g, '\\s+'));

describe('peak concurrency', () => {
  const server = useEchoServer();

  it('idle holders fill every slot: the peak is what was asked', async () => {
    const r = await runFlood({ target: `127.0.0.1:${server().port}`, connections: 20, total: 40, mix: { idle: 1 }, idleHoldMs: { min: 300, max: 300 }, workers: 0 }).result;
    expect(r.connections.peakActive).toBe(20);
    expect(renderReport(r)).toContain('\n20 at once at the peak\n');
  });

  it('from several client threads the peak is their peaks added: "up to"', async () => {
    const r = await runFlood({ target: `127.0.0.1:${server().port}`, connections: 20, total: 40, mix: { idle: 1 }, idleHoldMs: { min: 300, max: 300 }, workers: 2 }).result;
    expect(r.connections.peakActive).toBe(20);
    expect(renderReport(r)).toContain("\nup to 20 at once at the peak (the client threads' peaks added)\n");
  });

  it('connections that end at once never pile up: the report says the run fell short', async () => {
    const r = await runFlood({ target: `127.0.0.1:${server().port}`, connections: 1000, total: 1000, mix: { 'connect-rst': 1 }, workers: 0 }).result;
    expect(r.connections.peakActive).toBeGreaterThan(0);
    expect(r.connections.peakActive).toBeLessThan(900);
    expect(renderReport(r)).toMatch(wrapped(`\nreached ${r.connections.peakActive} at once of the 1000 asked: connections ended (or failed) faster than they could be opened\n`));
  });

  it('under --rate the pace is named as the cause, not the server', async () => {
    // Each connection lives a few ms, 500 ms apart: the peak is 1.
    const r = await runFlood({ target: `127.0.0.1:${server().port}`, connections: 50, total: 3, rate: 2, mix: { graceful: 1 }, messages: 1, workers: 0 }).result;
    expect(r.connections.peakActive).toBeLessThan(3);
    expect(renderReport(r)).toMatch(wrapped(`\nreached ${r.connections.peakActive} at once of the 3 asked: connections ended before the pace asked (2/s) could open 3 at once\n`));
  });
});
