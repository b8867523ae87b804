// A modest --msg-rate is kept: 2000 msg/s for 3 s against the embedded server sends 6000
// messages on schedule (achieved >= 97% of the target), every one verified, PASS, no warning.
// The achieved rate counts the messages sent over the window from the start to the last send
// (plus one interval), so a stall mid-run that the schedule catches up on does not lower it; only
// one in the run's last few tens of ms could. A rate like 20k/s is measured by bench/msg-rate.mjs,
// not asserted here: a loaded machine could miss it.
import { describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';

describe('--msg-rate achieved', () => {
  it('2000 msg/s for 3 s: at least 97% of the target, PASS', async () => {
    const r = await runCliProcess(['flood', '--msg-rate', '2000', '-d', '3s', '-c', '100', '--json', '--no-progress'], 60_000);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.verdict).toBe('PASS');
    expect(j.messages.targetPerSec).toBe(2000);
    expect(j.messages.achievedPerSec).toBeGreaterThanOrEqual(0.97 * 2000);
    expect(j.messages.sent).toBe(6000);
    expect(j.messages.verified).toBe(6000);
    expect(j.latencyUs.roundTrip.count).toBe(6000);
    expect(j.latencyUs.serviceTime.count).toBe(6000);
    expect(j.warnings).toEqual([]);
  }, 90_000);
});
