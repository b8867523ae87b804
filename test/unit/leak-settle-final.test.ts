// The leak check waits for a server to settle, but not for what waiting cannot change: stale
// completions and sessions freed twice are counted once and stay. With either, it judges at the
// first reading instead of polling out its whole settle wait (15 s by default).
import { describe, expect, it } from 'vitest';
import type { ServerStats } from '../../src/server/index.js';
import { checkLeaks } from '../../src/client/verdict/leakCheck.js';

function stats(over: { live?: number; stale?: number; doubleFrees?: number }): ServerStats {
  return {
    backend: 'epoll', workers: 5, lifetime: 'refcount', listen: { host: '127.0.0.1', port: 1 }, uptimeMs: 0,
    sessions: { live: over.live ?? 0, peak: 0, accepted: 10, freed: 10 - (over.live ?? 0), rejected: 0 },
    ops: { outstanding: 0, posted: 0, completed: 0, failed: 0 },
    staleCompletions: over.stale ?? 0, bytes: { in: 0, out: 0 }, perWorker: [], extra: { doubleFrees: over.doubleFrees ?? 0 },
  };
}

describe('leak check settle wait', () => {
  it.each([
    ['a session freed twice', { doubleFrees: 1, live: 1 }],
    ['a stale completion', { stale: 2, live: 1 }],
  ])('%s: judged at the first reading', async (_name, over) => {
    let reads = 0;
    const verdict = await checkLeaks(async () => (reads++, stats(over)), null, 2000);
    expect(verdict.status).toBe('leak');
    expect(reads).toBe(1);
  });

  it('a live session alone is waited for: read again until the wait runs out', async () => {
    let reads = 0;
    const verdict = await checkLeaks(async () => (reads++, stats({ live: 1 })), null, 600);
    expect(verdict.status).toBe('leak');
    expect(reads).toBeGreaterThan(1);
  });
});
