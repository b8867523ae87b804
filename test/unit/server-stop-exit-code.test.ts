// The server command's exit code after a stop that finished: 0 only when every session was freed,
// every sample written, no lifetime rule broken, and no worker thread failed.
import { expect, it } from 'vitest';
import { stopExitCode } from '../../src/server/serverCommand.js';
import type { ServerStats } from '../../src/server/types.js';

function stats(o: { live?: number; outstanding?: number; stale?: number; extra?: Record<string, number> } = {}): ServerStats {
  return {
    backend: 'epoll', workers: 5, lifetime: 'refcount', listen: { host: '127.0.0.1', port: 1 }, uptimeMs: 1000,
    sessions: { live: o.live ?? 0, peak: 3, accepted: 3, freed: 3 - (o.live ?? 0), rejected: 0 },
    ops: { outstanding: o.outstanding ?? 0, posted: 9, completed: 9, failed: 0 },
    staleCompletions: o.stale ?? 0,
    bytes: { in: 10, out: 10 },
    perWorker: [],
    extra: o.extra ?? {},
  };
}

it('0 for a clean stop; 1 for each way it falls short', () => {
  expect(stopExitCode(stats(), null)).toBe(0);
  expect(stopExitCode(stats({ extra: { workerFailures: 0 } }), null)).toBe(0);
  expect(stopExitCode(stats({ extra: { workerFailures: 1 } }), null)).toBe(1);
  expect(stopExitCode(stats({ live: 1 }), null)).toBe(1);
  expect(stopExitCode(stats({ outstanding: 1 }), null)).toBe(1);
  expect(stopExitCode(stats({ stale: 1 }), null)).toBe(1);
  expect(stopExitCode(stats({ extra: { doubleFrees: 1 } }), null)).toBe(1);
  expect(stopExitCode(stats(), '2 samples could not be written')).toBe(1);
});
