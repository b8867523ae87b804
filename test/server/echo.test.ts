// The server echoes byte-exact, and under load every one of the five workers runs completions.
import { describe, expect, it } from 'vitest';
import { abuse } from '../helpers/abuse.js';
import { quiescent, settle, useServerProcess } from '../helpers/serverProcess.js';
import { SERVER_VARIANTS } from '../helpers/serverVariants.js';

describe.each(SERVER_VARIANTS)('$name backend echo', ({ backend, args, ioUring }) => {
  const server = useServerProcess(args);

  it('echoes every byte back to the connection that sent it', async () => {
    const r = await abuse({ port: server().port, perMode: 300, modes: ['echo', 'half-close'], concurrency: 100 });
    expect(r).toMatchObject({ verified: 600, corrupt: 0, crossTalk: 0, truncated: 0, errors: 0, timeouts: 0 });
    const s = await settle(server().stats, quiescent);
    expect(s.backend).toBe(backend);
    expect(s.sessions).toMatchObject({ live: 0, accepted: 600, freed: 600, rejected: 0 });
    expect(s.bytes.in).toBe(300 * 4096 + 300 * 32 * 1024);
    expect(s.bytes.out).toBe(s.bytes.in);
    expect(s.staleCompletions).toBe(0);
    // With io_uring, every worker batched: the receives and sends went through its ring.
    expect(s.extra.ioUringWorkers ?? 0).toBe(ioUring ? 5 : 0);
    if (ioUring) expect(s.extra.ioUringOps).toBeGreaterThanOrEqual(2 * 600);
    else expect(s.extra.ioUringOps ?? 0).toBe(0);
  });

  it('reports its workers: five on a completion backend, each with completions', async () => {
    // One worker runs at a time by default on two cores, and the run token moves on only every
    // so many waits: the load goes on (bounded) until every worker has had a turn.
    let s = await server().stats();
    for (let round = 0; round < 20 && !s.perWorker.every((w) => w.completions > 0); round++) {
      await abuse({ port: server().port, perMode: 100, modes: ['echo'], concurrency: 50 });
      s = await server().stats();
    }
    const expected = backend === 'node' ? 1 : 5;
    expect(s.workers).toBe(expected);
    expect(s.perWorker).toHaveLength(expected);
    for (const w of s.perWorker) expect(w.completions).toBeGreaterThan(0);
  });
});
