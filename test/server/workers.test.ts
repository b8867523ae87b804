// Under load, every worker of the server runs completions: five on a completion backend, one on node.
import { describe, expect, it } from 'vitest';
import { abuse } from '../helpers/abuse.js';
import { useServerProcess } from '../helpers/serverProcess.js';
import { SERVER_VARIANTS } from '../helpers/serverVariants.js';

describe.each(SERVER_VARIANTS)('$name backend workers', ({ backend, args, launcher }) => {
  const server = useServerProcess(args, launcher.start);

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
