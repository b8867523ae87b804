// A worker that fails (here: its io_uring descriptor replaced under it, so its next io_uring_enter
// fails) does not take the server with it: its run token passes on, the other workers keep
// serving, and the failure is in the stats. With one run token (--concurrency 1), a token that
// died with its worker would leave every other worker parked for good.
// The server runs in this process, so the test can take the rings of its workers away.
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/index.js';
import { settle } from '../helpers/serverProcess.js';
import { echoOnce, replaceWithDevNull, rings } from '../helpers/workerRings.js';
import { uringAvailable } from '../../src/native/linux/uring.js';

describe.runIf(process.platform === 'linux' && uringAvailable())('a worker that fails', () => {
  it('leaves the others serving, its run token passed on', async () => {
    const before = rings();
    const server = await startServer({ backend: 'epoll', host: '127.0.0.1', port: 0, workers: 5, concurrency: 1, statsPort: null });
    try {
      const own = [...rings()].filter((fd) => !before.has(fd));
      expect(own).toHaveLength(5);
      expect(server.stats().extra.ioUringWorkers).toBe(5);
      // Four of the five workers lose their ring: /dev/null takes its descriptor's place (the
      // number stays taken, so nothing else of this process gets it and a later close of it by the
      // worker closes /dev/null), and each fails at its next batch of calls.
      expect(replaceWithDevNull(own.slice(0, 4))).toEqual(own.slice(0, 4));
      // A busy worker keeps its token; one whose wait finds nothing for 250 ms hands it on. So
      // between echoes the test waits (for a failure, at most 400 ms) and the turns go round to a
      // worker without a ring, which fails at its next echo and may take that echo with it. Then
      // the turns must still reach the working one. Bounded: 40 tries of at most 1.4 s each.
      const failed = async () => (await settle(async () => server.stats(), (s) => s.extra.workerFailures === 1, 400)).extra.workerFailures === 1;
      const outcomes: boolean[] = [];
      for (let i = 0; i < 40; i++) {
        outcomes.push(await echoOnce(server.address.port, 1000));
        if ((await failed()) && outcomes.slice(-3).join() === 'true,true,true') break;
      }
      expect(server.stats().extra.workerFailures).toBe(1);
      expect(outcomes.slice(-3)).toEqual([true, true, true]);
    } finally {
      await server.close();
    }
  }, 60_000);
});
