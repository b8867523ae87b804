// The server echoes every byte back, in order, to the connection that sent it.
import { describe, expect, it } from 'vitest';
import { abuse } from '../helpers/abuse.js';
import { quiescent, settle, useServerProcess } from '../helpers/serverProcess.js';
import { SERVER_VARIANTS } from '../helpers/serverVariants.js';

const PER_MODE = 300;

describe.each(SERVER_VARIANTS)('$name backend echo', ({ backend, args, ioUring, launcher }) => {
  const server = useServerProcess(args, launcher.start);

  it('echoes every byte back to the connection that sent it', async () => {
    const r = await abuse({ port: server().port, perMode: PER_MODE, modes: ['echo', 'half-close'], concurrency: 100 });
    expect(r).toMatchObject({ verified: 2 * PER_MODE, corrupt: 0, crossTalk: 0, truncated: 0, errors: 0, timeouts: 0 });
    const s = await settle(server().stats, quiescent);
    expect(s.backend).toBe(backend);
    expect(s.sessions).toMatchObject({ live: 0, accepted: 2 * PER_MODE, freed: 2 * PER_MODE, rejected: 0 });
    expect(s.bytes.in).toBe(PER_MODE * 4096 + PER_MODE * 32 * 1024);
    expect(s.bytes.out).toBe(s.bytes.in);
    expect(s.staleCompletions).toBe(0);
    // With io_uring, every worker batched: the receives and sends went through its ring.
    expect(s.extra.ioUringWorkers ?? 0).toBe(ioUring ? 5 : 0);
    if (ioUring) expect(s.extra.ioUringOps).toBeGreaterThanOrEqual(2 * 2 * PER_MODE);
    else expect(s.extra.ioUringOps ?? 0).toBe(0);
  });
});
