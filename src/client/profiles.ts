/**
 * Named flood profiles: presets of runFlood()'s options that any option given explicitly
 * overrides. `stress` is the one that hunts reference-counting bugs (README, "Bug zoo"): it keeps
 * a session's send pending with a receive posted beside it as often as it can, and ends
 * connections abruptly in those states, for a bounded 20 s.
 */
import type { ServerOptions } from '../server/index.js';
import type { Range } from '../units.js';
import type { Mix } from './run/scenarios.js';

export const PROFILE_NAMES = ['default', 'stress'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** What a profile sets: flood options (runFlood()'s names), and the embedded server's (only without a target). */
export interface Profile {
  flood: {
    connections?: number;
    durationMs?: number;
    messages?: Range;
    size?: Range;
    split?: boolean;
    mix?: Partial<Mix>;
    idleHoldMs?: Range;
    pendingBytes?: number;
  };
  server: Partial<ServerOptions>;
}

export const PROFILES: Record<ProfileName, Profile> = {
  default: { flood: {}, server: {} },
  stress: {
    flood: {
      connections: 200,
      durationMs: 20_000,
      // Frames bigger than a small socket send buffer and smaller than the server's ring: the
      // echo's send goes pending while the rest of the frame is still being received.
      messages: { min: 2, max: 8 },
      size: { min: 1024, max: 48 * 1024 },
      split: true,
      mix: { graceful: 3, 'rst-mid-frame': 2, 'rst-after-echo': 2, 'rst-send-pending': 2, 'half-close': 2, idle: 2, 'connect-rst': 1 },
      idleHoldMs: { min: 50, max: 400 },
      pendingBytes: 256 * 1024,
    },
    // The embedded server: 4 KiB socket send buffers make its sends wait (Linux loopback would
    // otherwise autotune them to megabytes, and a send would never be pending). No idle timeout:
    // a session reset for idleness loses the frame its client sends next, which would be judged
    // a data fault of a correct server.
    server: { sendBuffer: 4096 },
  },
};
