// The "stopped" line says how long the server served (from its "listening" line to the stop) and
// how long the stop took, apart: --duration 600ms reads as about 600 ms served, not the process's
// uptime, which also counts the start-up and the stop.
import { describe, expect, it } from 'vitest';
import { LAUNCHER } from '../helpers/serverLaunchers.js';

describe(`server stop summary${LAUNCHER.label}`, () => {
  it('the JSON "stopped" event gives servedMs and stopMs, which the uptime contains', async () => {
    const r = await LAUNCHER.run(['server', '--port', '0', '--no-stats', '--json', '--duration', '600ms'], 60_000);
    expect(r.code, r.stderr).toBe(0);
    const stopped = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
      event: string;
      servedMs: number;
      stopMs: number;
      stats: { uptimeMs: number };
    };
    expect(stopped.event).toBe('stopped');
    // The duration's timer starts at the "listening" line; a timer may fire up to a millisecond
    // before a clock read just ahead of it says.
    expect(stopped.servedMs).toBeGreaterThanOrEqual(598);
    expect(stopped.stopMs).toBeGreaterThanOrEqual(0);
    // The start-up (workers, the listener) comes before the serving and is not in it.
    expect(stopped.servedMs + stopped.stopMs).toBeLessThan(stopped.stats.uptimeMs);
  });

  it('the text "stopped" line names the time served and the stop apart', async () => {
    const r = await LAUNCHER.run(['server', '--port', '0', '--no-stats', '--duration', '600ms'], 60_000);
    expect(r.code, r.stderr).toBe(0);
    const last = r.stdout.trim().split('\n').at(-1)!;
    const m = /^iocp-bench server: stopped \(duration\) after serving (\d+ ms|\d+\.\d s), the stop took (\d+ ms|\d+\.\d s): 0 accepted/.exec(last);
    expect(m, last).not.toBeNull();
    const [amount, unit] = m![1].split(' ');
    expect(Number(amount) * (unit === 's' ? 1000 : 1)).toBeGreaterThanOrEqual(598);
  });
});
