// Under Wine (or natively on Windows: wine.ts), the AcceptEx pool stays at its depth through a burst of clients that reset before
// their accept completes, and new clients still connect and echo.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { abuse } from '../helpers/abuse.js';
import { drained, reached, settle } from '../helpers/serverProcess.js';
import { WHERE } from './wine.js';
import { useWineServer } from './wineServer.js';

/** Connect and reset at once, `count` times, `concurrency` at a time (bounded in time). */
async function resetBurst(port: number, count: number, concurrency: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next++ < count) {
      await new Promise<void>((resolve) => {
        const s = connect({ host: '127.0.0.1', port });
        const t = setTimeout(() => (s.destroy(), resolve()), 10_000);
        s.once('connect', () => (clearTimeout(t), s.resetAndDestroy(), resolve()));
        s.once('error', () => (clearTimeout(t), resolve()));
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

describe(`iocp backend ${WHERE}: AcceptEx pool`, () => {
  const DEPTH = 32;
  const server = useWineServer(['--backend', 'iocp', '--accept-depth', String(DEPTH)]);

  it('keeps its depth through a burst of clients that reset before the accept completes', async () => {
    expect((await server().stats()).extra.acceptPending).toBe(DEPTH);
    await resetBurst(server().port, 2000, 200);
    const s = await settle(server().stats, (x) => drained(2000)(x) && x.extra.acceptPending === DEPTH, 15_000);
    expect(s.extra.acceptPending).toBe(DEPTH);
    expect(s.sessions.live).toBe(0);
    expect(s.sessions.accepted).toBe(s.sessions.freed);
    expect(reached(s)).toBe(2000);
    const r = await abuse({ port: server().port, perMode: 50, modes: ['echo'] });
    expect(r.verified).toBe(50);
    expect(r.errors + r.timeouts).toBe(0);
  });
});
