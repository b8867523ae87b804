// The server tests judge how many connections reached the server as accepted + acceptFailures:
// on Windows a client that resets while still in the listen queue fails its AcceptEx
// (ERROR_NETNAME_DELETED) and is never a session, so counting `accepted` alone would miss it.
import { describe, expect, it } from 'vitest';
import type { ServerStats } from '../../src/server/types.js';
import { drained, reached } from '../helpers/serverProcess.js';

function stats(accepted: number, freed: number, acceptFailures?: number): ServerStats {
  return {
    backend: 'iocp', workers: 5, lifetime: 'refcount', listen: { host: '127.0.0.1', port: 1 }, uptimeMs: 1,
    sessions: { live: accepted - freed, peak: 1, accepted, freed, rejected: 0 },
    ops: { outstanding: 0, posted: 0, completed: 0, failed: 0 }, staleCompletions: 0,
    bytes: { in: 0, out: 0 }, perWorker: [], extra: acceptFailures === undefined ? {} : { acceptFailures },
  };
}

describe('connections that reached the server', () => {
  it('count accepts that failed beside sessions', () => {
    expect(reached(stats(95, 95, 5))).toBe(100);
    expect(reached(stats(100, 100))).toBe(100); // a backend without the counter
    expect(drained(100)(stats(95, 95, 5))).toBe(true);
    expect(drained(100)(stats(95, 95, 4))).toBe(false);
    expect(drained(100)(stats(100, 99, 0))).toBe(false); // one still live
  });
});
