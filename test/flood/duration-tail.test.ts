// A run for a time opens connections for that long, then waits for those still open to finish:
// when that wait is a noticeable part of the run, the report's "ran" line says so instead of
// leaving "plan: for 1s" beside "ran 1.80 s" unexplained.
import { describe, expect, it } from 'vitest';
import { runFlood } from '../../src/client/flood.js';
import { renderReport } from '../../src/client/cli/report.js';
import { useEchoServer } from '../helpers/faultyServers.js';

describe('the tail of a run for a time', () => {
  const server = useEchoServer();

  it('idle holders opened near the end keep the run going: the ran line gives both parts', async () => {
    const r = await runFlood({ target: `127.0.0.1:${server().port}`, connections: 10, durationMs: 1000, mix: { idle: 1 }, idleHoldMs: { min: 800, max: 800 }, workers: 0 }).result;
    expect(r.verdict).toBe('PASS');
    const tail = r.elapsedMs - 1000;
    expect(tail).toBeGreaterThanOrEqual(100);
    expect(renderReport(r)).toContain(`\nran ${(r.elapsedMs / 1000).toFixed(2)} s: new connections for 1s, then ${(tail / 1000).toFixed(2)} s for those still open to finish\n`);
  });

  it('a run by count has no such tail to explain', async () => {
    const r = await runFlood({ target: `127.0.0.1:${server().port}`, connections: 10, total: 20, mix: { graceful: 1 }, workers: 0 }).result;
    expect(renderReport(r)).toMatch(/\nran \d+\.\d\d s\n/);
  });
});
