// Under Wine, `--lifetime naive` (the tutorial bug: raw session address as completion key, freed
// while I/O is pending) is exposed by the same abuse: stale completions or cross-talk.
import { describe, expect, it } from 'vitest';
import { abuse } from '../helpers/abuse.js';
import { settle } from '../helpers/serverProcess.js';
import { useWineServer } from './wineServer.js';

describe('iocp backend under Wine: naive lifetime', () => {
  const server = useWineServer(['--backend', 'iocp', '--lifetime', 'naive']);

  it('is caught by the abuse run', async () => {
    const r = await abuse({
      port: server().port, perMode: 500, concurrency: 100, floodBytes: 1 << 20, perConnectionTimeoutMs: 5000,
    });
    // Stale completions can land after the last client is gone: wait for one, bounded.
    const s = await settle(server().stats, (x) => x.staleCompletions + r.crossTalk > 0, 10_000);
    expect(s.staleCompletions + r.crossTalk).toBeGreaterThan(0);
    // The tutorial's receives carry their buffer: no zero-byte reads in this lifetime.
    expect(s.extra.zeroByteReads).toBe(0);
  });
});
