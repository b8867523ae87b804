// --msg-rate as stages ramps the open loop's message rate linearly, k6's ramping arrival rate:
// 0 -> 1000/s over 2 s, 1000/s for 1 s, down to 0 over 2 s is 3,000 messages in 5 s, and by
// each moment as many as the area under the ramp so far (250 by 1 s, where a constant rate of
// the same mean, 600/s, would have sent 600). Read from the run's ticks (on the calling thread,
// whose counters are live) and its result.
import { describe, expect, it } from 'vitest';
import { runFlood, type FloodTick } from '../../src/client/flood.js';
import { floodOptionsFromFlags, type FloodFlags } from '../../src/client/cli/floodFlags.js';
import { RateSchedule } from '../../src/client/run/rateSchedule.js';
import { useEchoServer } from '../helpers/faultyServers.js';

describe('--msg-rate stages', () => {
  const server = useEchoServer();

  it('ramps the message rate as the stages say', async () => {
    const flags = floodOptionsFromFlags(`127.0.0.1:${server().port}`, { msgRate: '2s:1k,1s:1k,2s:0', connections: '20' } as FloodFlags);
    const run = runFlood({ ...flags, workers: 0 });
    const ticks: FloodTick[] = [];
    run.on('tick', (t) => ticks.push(t));
    const r = await run.result;
    expect(r.verdict, r.reasons.join('; ')).toBe('PASS');
    expect(r.options.msgStages).toEqual([{ durationMs: 2000, rate: 1000 }, { durationMs: 1000, rate: 1000 }, { durationMs: 2000, rate: 0 }]);
    expect(r.options.durationMs).toBe(5000);
    expect(r.messages.sent).toBe(3000);
    expect(r.messages.verified).toBe(3000);
    expect(r.messages.targetPerSec).toBe(600);
    expect(r.warnings).toEqual([]);
    const expected = new RateSchedule(0, r.options.msgStages);
    // Each tick's verified count is near the schedule's count at that moment (echoes take ms).
    const inRamp = ticks.filter((t) => t.elapsedMs > 500 && t.elapsedMs < 4500);
    expect(inRamp.length).toBeGreaterThanOrEqual(8);
    for (const t of inRamp) expect(Math.abs(t.messages - expected.count(t.elapsedMs)), JSON.stringify(t)).toBeLessThanOrEqual(150);
  }, 30_000);

  it('refuses stages beside a rate, a duration, or --stages of another length', () => {
    const bad: Array<[Partial<FloodFlags>, RegExp]> = [
      [{ msgRate: '2s:1k', duration: '5s' }, /^--duration: not with --msg-rate stages \(they set how long the run lasts\) \(got "5s"\)$/],
      [{ msgRate: '2s:1k', stages: '3s:10' }, /^--msg-rate: its stages last 2s, the --stages 3s: both must last as long/],
      [{ msgRate: '2s:0,1s:0' }, /^--msg-rate: every stage has rate 0/],
      [{ msgRate: '2s:x' }, /^--msg-rate: /],
    ];
    for (const [flags, message] of bad) expect(() => runFlood(floodOptionsFromFlags(`127.0.0.1:${server().port}`, flags as FloodFlags))).toThrow(message);
  });
});
