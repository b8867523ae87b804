// The IOCP backend under Wine survives the abuse run of the server-core tests: every session
// freed exactly once, nothing stale, and it still serves. Sized for Wine (~30k completions/s).
import { describe, expect, it } from 'vitest';
import { abuse } from '../helpers/abuse.js';
import { drained, reached, settle } from '../helpers/serverProcess.js';
import { useWineServer } from './wineServer.js';

const PER_MODE = Number(process.env.WINE_ABUSE_PER_MODE ?? 2000);

describe('iocp backend under Wine: abuse (refcount lifetime)', () => {
  const server = useWineServer(['--backend', 'iocp']);

  it('frees every session after abrupt clients of every kind', async () => {
    const r = await abuse({ port: server().port, perMode: PER_MODE, concurrency: 100, floodBytes: 1 << 20 });
    expect(r.connections).toBe(PER_MODE * 5);
    expect(r).toMatchObject({ corrupt: 0, crossTalk: 0, truncated: 0, errors: 0, timeouts: 0, verified: PER_MODE * 2 });
    const s = await settle(server().stats, drained(PER_MODE * 5), 15_000);
    expect(s.sessions.live).toBe(0);
    expect(s.ops.outstanding).toBe(0);
    expect(s.sessions.accepted).toBe(s.sessions.freed);
    // A client that resets before its AcceptEx completes fails that AcceptEx (Wine: 0xC0000140):
    // it is counted as a failed accept, never as a session.
    expect(reached(s)).toBe(PER_MODE * 5);
    expect(s.staleCompletions).toBe(0);
    expect(s.extra.doubleFrees).toBe(0);
    const after = await abuse({ port: server().port, perMode: 20, modes: ['echo', 'half-close'] });
    expect(after.verified).toBe(40);
  });
});
