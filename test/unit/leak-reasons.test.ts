// The leak verdict judges each invariant apart: a server snapshot is clean only with no live
// session, no outstanding operation, every accepted session freed, no stale completion and no
// session freed twice.
import { describe, expect, it } from 'vitest';
import type { ServerStats } from '../../src/server/index.js';
import { checkLeaks, leakReasons, type StatsSource } from '../../src/client/verdict/leakCheck.js';

function stats(over: { live?: number; outstanding?: number; accepted?: number; freed?: number; stale?: number; doubleFrees?: number } = {}): ServerStats {
  return {
    backend: 'epoll',
    workers: 5,
    lifetime: 'refcount',
    listen: { host: '127.0.0.1', port: 1 },
    uptimeMs: 0,
    sessions: { live: over.live ?? 0, peak: 0, accepted: over.accepted ?? 10, freed: over.freed ?? 10, rejected: 0 },
    ops: { outstanding: over.outstanding ?? 0, posted: 0, completed: 0, failed: 0 },
    staleCompletions: over.stale ?? 0,
    bytes: { in: 0, out: 0 },
    perWorker: [],
    extra: { doubleFrees: over.doubleFrees ?? 0 },
  };
}

describe('leak reasons', () => {
  it('a clean snapshot has none', () => {
    expect(leakReasons(stats())).toEqual([]);
  });

  it.each([
    ['a live session', { live: 1 }, /1 session\(s\) still live/],
    ['an outstanding operation', { outstanding: 2 }, /2 operation\(s\) still outstanding/],
    ['an accepted session never freed', { accepted: 11 }, /accepted 11 != freed 10/],
    ['a stale completion', { stale: 3 }, /3 stale completion\(s\)/],
    ['a session freed twice', { doubleFrees: 2 }, /2 session\(s\) freed twice/],
  ])('%s alone is a leak', async (_name, over, text) => {
    const reasons = leakReasons(stats(over));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(text);
    const source: StatsSource = () => Promise.resolve(stats(over));
    const verdict = await checkLeaks(source, null, 50);
    expect(verdict.status).toBe('leak');
    expect(verdict.leaks).toBeGreaterThan(0);
  });
});
