// The IOCP backend under Wine: byte-exact echo, and all five workers run completions.
import { describe, expect, it } from 'vitest';
import { abuse } from '../helpers/abuse.js';
import { quiescent, settle } from '../helpers/serverProcess.js';
import { useWineServer } from './wineServer.js';

describe('iocp backend under Wine: echo', () => {
  const server = useWineServer(['--backend', 'iocp']);

  it('echoes every byte back to the connection that sent it', async () => {
    const r = await abuse({ port: server().port, perMode: 200, modes: ['echo', 'half-close'], concurrency: 50 });
    expect(r).toMatchObject({ verified: 400, corrupt: 0, crossTalk: 0, truncated: 0, errors: 0, timeouts: 0 });
    const s = await settle(server().stats, quiescent);
    expect(s.backend).toBe('iocp');
    expect(s.sessions).toMatchObject({ live: 0, accepted: 400, freed: 400 });
    expect(s.bytes.out).toBe(s.bytes.in);
    expect(s.bytes.in).toBe(200 * 4096 + 200 * 32 * 1024);
    expect(s.staleCompletions).toBe(0);
    expect(s.perWorker).toHaveLength(5);
    for (const w of s.perWorker) expect(w.completions).toBeGreaterThan(0);
  });
});
