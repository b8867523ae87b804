// --stages ramps the connections open at once, k6-style: 1s:20, then 1s:60, then 1s:0, with idle
// holders that end after 100-300 ms (so the count can follow the target down as well as up).
// Read from the run's ticks: near each stage's end the active count is at its target (within a
// second, as the ticks come every 250 ms), it is never far above the target of the moment, and
// the run ends within a second of the last stage.
import { describe, expect, it } from 'vitest';
import { runFlood, type FloodTick } from '../../src/client/flood.js';
import { parseStages } from '../../src/client/cli/floodFlags.js';
import { stageTarget } from '../../src/client/options.js';
import { useEchoServer } from '../helpers/faultyServers.js';

describe('--stages', () => {
  const server = useEchoServer();

  it('parses duration:target stages and interpolates between them', () => {
    const stages = parseStages('--stages', '10s:1000,30s:5000,10s:0');
    expect(stages).toEqual([{ durationMs: 10_000, target: 1000 }, { durationMs: 30_000, target: 5000 }, { durationMs: 10_000, target: 0 }]);
    expect([0, 5000, 10_000, 25_000, 40_000, 45_000, 50_000, 60_000].map((t) => stageTarget(stages, t))).toEqual([0, 500, 1000, 3000, 5000, 2500, 0, 0]);
    expect(() => parseStages('--stages', '10s')).toThrow(/^--stages: not duration:target stages/);
  });

  it.each([0, 2])('reaches each target near its stage end (%d client threads)', async (workers) => {
    const run = runFlood({
      target: `127.0.0.1:${server().port}`,
      stages: [{ durationMs: 1000, target: 20 }, { durationMs: 1000, target: 60 }, { durationMs: 1000, target: 0 }],
      mix: { idle: 1 }, idleHoldMs: { min: 100, max: 300 }, messages: { min: 1, max: 1 }, workers,
    });
    const ticks: FloodTick[] = [];
    run.on('tick', (t) => ticks.push(t));
    const r = await run.result;
    expect(r.verdict).toBe('PASS');
    const near = (ms: number) => ticks.filter((t) => Math.abs(t.elapsedMs - ms) <= 1000);
    expect(Math.max(...near(1000).map((t) => t.active))).toBeGreaterThanOrEqual(17);
    expect(Math.max(...near(2000).map((t) => t.active))).toBeGreaterThanOrEqual(54);
    expect(Math.max(...ticks.map((t) => t.active))).toBeLessThanOrEqual(60);
    // It follows the target: never more open than the highest target of the second before (a
    // holder ends up to 300 ms after the target fell, and a thread's counters reach the tick
    // late on a loaded machine) or just after (the threads' clocks start a little apart).
    const stages = r.options.stages;
    const highest = (from: number, to: number) => Math.max(...Array.from({ length: 14 }, (_, i) => stageTarget(stages, from + ((to - from) * i) / 13)));
    for (const t of ticks) expect(t.active).toBeLessThanOrEqual(highest(t.elapsedMs - 1000, t.elapsedMs + 300) + 5);
    expect(r.connections.peakActive).toBeLessThanOrEqual(60);
    expect(r.elapsedMs).toBeLessThan(4000);
    expect(r.options.stages).toHaveLength(3);
  }, 30_000);
});
