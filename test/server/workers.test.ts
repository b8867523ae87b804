// Under load, every worker of the server runs completions: five on a completion backend, one on node.
//
// An IOCP wakes its waiting threads last-in-first-out, and one GetQueuedCompletionStatusEx takes
// every queued entry up to its array size: under a light, single-threaded client the thread that
// just returned to the port takes the next packet too, and the 4th and 5th may never run. A thread
// further down the stack wakes only when packets arrive while those above it are busy, and the
// port lets it (concurrency = workers, the IOCP default here). So the load comes from a flood on
// several client threads, many connections sending at once, round after round (bounded) until
// every worker has had completions; a worker that never runs still fails the test. On epoll the
// run token stays with a busy worker and moves on, in turn, when a wait finds nothing for its whole
// 250 ms: a pause between two rounds that long hands it to the next worker. Pauses are the next
// flood's start-up, often shorter on a busy machine's warm node; CI runs took 3 to over 10 rounds
// (MAX_ROUNDS bounds the search, not the expectation).
import { describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { useServerProcess } from '../helpers/serverProcess.js';
import { SERVER_VARIANTS } from '../helpers/serverVariants.js';

const MAX_ROUNDS = 30;

describe.each(SERVER_VARIANTS)('$name backend workers', ({ backend, args, launcher }) => {
  const server = useServerProcess(args, launcher.start);

  it('reports its workers: five on a completion backend, each with completions', async () => {
    let s = await server().stats();
    for (let round = 0; round < MAX_ROUNDS && !s.perWorker.every((w) => w.completions > 0); round++) {
      const r = await runCliProcess(
        ['flood', `127.0.0.1:${server().port}`, '--workers', '2', '-c', '100', '-n', String(launcher.size(1000)),
          '--mix', 'graceful', '--messages', '4-8', '--size', '256-4k', '--no-progress', '--json'],
        60_000,
      );
      expect(r.code, r.stderr).toBe(0);
      s = await server().stats();
    }
    const expected = backend === 'node' ? 1 : 5;
    expect(s.workers).toBe(expected);
    expect(s.perWorker).toHaveLength(expected);
    for (const w of s.perWorker) expect(w.completions).toBeGreaterThan(0);
  }, 300_000);
});
