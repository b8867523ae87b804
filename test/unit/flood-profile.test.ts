// A flood profile is a preset under the options given: `stress` sets its flood options and its
// embedded server's send buffer, any option given explicitly wins, server options apply only to
// the embedded server, and an unknown name is a usage error.
import { describe, expect, it } from 'vitest';
import { resolveFloodOptions } from '../../src/client/options.js';

describe('flood profiles', () => {
  it('default sets nothing', () => {
    const o = resolveFloodOptions({ seed: 1 });
    expect(o.profile).toBe('default');
    expect(o.server).toEqual({});
    expect(o.durationMs).toBe(0);
  });

  it('stress: a 20 s run of mid-size split frames, abrupt modes, and 4 KiB server send buffers', () => {
    const o = resolveFloodOptions({ profile: 'stress', seed: 1 });
    expect(o).toMatchObject({
      profile: 'stress',
      connections: 200,
      durationMs: 20_000,
      messages: { min: 2, max: 8 },
      size: { min: 1024, max: 48 * 1024 },
      split: true,
      pendingBytes: 256 * 1024,
      server: { sendBuffer: 4096 },
    });
    expect(o.mix['rst-mid-frame']).toBeGreaterThan(0);
    expect(o.mix['connect-abort']).toBe(0);
  });

  it('options given explicitly override the profile', () => {
    const o = resolveFloodOptions({ profile: 'stress', connections: 7, durationMs: 3000, server: { sendBuffer: 0, lifetime: 'naive' } });
    expect(o.connections).toBe(7);
    expect(o.durationMs).toBe(3000);
    expect(o.server).toEqual({ sendBuffer: 0, lifetime: 'naive' });
  });

  it('with a target, the profile sets no server option', () => {
    const o = resolveFloodOptions({ profile: 'stress', target: '127.0.0.1:7777' });
    expect(o.server).toEqual({});
    expect(o.connections).toBe(200);
  });

  it('an unknown profile is a usage error', () => {
    expect(() => resolveFloodOptions({ profile: 'fast' as never })).toThrow(/--profile: must be default or stress \(got "fast"\)/);
  });
});
