// A profile's presets give way to the flags that decide a run's shape: with --stages the stages
// set how many connections and for how long (the profile's -c and -d step aside, and the error
// does not blame a flag that was never typed); an open loop (--msg-rate) cannot run the stress
// profile's abrupt endings and split frames, and the refusal names the profile.
import { describe, expect, it } from 'vitest';
import { resolveFloodOptions } from '../../src/client/options.js';
import { PROFILES } from '../../src/client/profiles.js';
import { parseFloodArgv } from '../helpers/floodArgv.js';

const resolve = (argv: string[]) => resolveFloodOptions(parseFloodArgv(argv));

describe('--profile with the flags that shape a run', () => {
  it('stress with --stages: the stages decide the count and the length; the rest of the profile applies', () => {
    const o = resolve(['--profile', 'stress', '--stages', '2s:50,3s:100', '--seed', '1']);
    expect(o.stages).toEqual([{ durationMs: 2000, target: 50 }, { durationMs: 3000, target: 100 }]);
    expect(o.durationMs).toBe(5000);
    expect(o.connections).toBe(100);
    expect(o.split).toBe(true);
    expect(o.size).toEqual(PROFILES.stress.flood.size);
    expect(o.mix['rst-send-pending']).toBeGreaterThan(0);
    expect(o.server).toMatchObject({ sendBuffer: 4096 });
  });

  it('stress without --stages keeps its own count and length; flags given still win', () => {
    expect(resolve(['--profile', 'stress', '--seed', '1'])).toMatchObject({ connections: 200, durationMs: 20_000 });
    expect(resolve(['--profile', 'stress', '-c', '30', '-d', '2s', '--seed', '1'])).toMatchObject({ connections: 30, durationMs: 2000 });
  });

  it('stress with --msg-rate, a rate or stages: refused in one line naming the profile', () => {
    for (const rate of ['1000', '10s:1000']) {
      expect(() => resolve(['--profile', 'stress', '--msg-rate', rate])).toThrow(
        /^--profile: stress ends connections abruptly mid-frame, which an open loop \(--msg-rate\) does not .*; run it without --msg-rate \(got "stress"\)$/,
      );
    }
    // The default profile sets nothing, so an open loop runs as before.
    expect(resolve(['--msg-rate', '1000', '--seed', '1']).msgRate).toBe(1000);
  });
});
