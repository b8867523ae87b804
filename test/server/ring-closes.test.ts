// Where io_uring runs close(), the epoll backend closes its sessions' sockets through the ring
// (held until the worker's next wait, with its queued sends): every session's socket is closed
// that way, an idle timeout's reset still reaches the client as a reset (SO_LINGER in the same
// ring call), and no descriptor outlives its session. With --no-io-uring every close is a plain
// call and the counter stays at 0.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { abuse } from '../helpers/abuse.js';
import { closedWithin } from '../helpers/holders.js';
import { ringSupports } from '../helpers/ringSupport.js';
import { drained, settle, startServerProcess, type NodeServerProcess } from '../helpers/serverProcess.js';

const PER_MODE = 100;
const IDLE = 5;

const descriptors = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

/** Echo and half-close traffic, clients' resets, then idle sessions the server resets. */
async function churn(server: NodeServerProcess): Promise<void> {
  const r = await abuse({ port: server.port, perMode: PER_MODE, modes: ['echo', 'half-close', 'send-rst'], concurrency: 50 });
  expect(r).toMatchObject({ corrupt: 0, crossTalk: 0, errors: 0, timeouts: 0 });
  const ends = await Promise.all(Array.from({ length: IDLE }, () => closedWithin(server.port, 5000)));
  expect(ends).toEqual(Array(IDLE).fill('reset'));
}

describe.runIf(ringSupports('close', 'setsockopt'))('epoll backend closes through io_uring', () => {
  it('closes every session through the ring, resets as resets, and leaves no descriptor behind', async () => {
    const server = await startServerProcess(['--backend', 'epoll', '--idle-timeout', '300ms']);
    try {
      const pid = server.child.pid!;
      const before = descriptors(pid);
      await churn(server);
      const s = await settle(server.stats, drained(3 * PER_MODE + IDLE));
      expect(s.sessions).toMatchObject({ live: 0, accepted: 3 * PER_MODE + IDLE, freed: 3 * PER_MODE + IDLE });
      expect(s.extra.idleClosed).toBe(IDLE);
      // One close per session's socket at least (a waiting send's duplicate adds one).
      expect(s.extra.ioUringCloses).toBeGreaterThanOrEqual(s.sessions.freed);
      expect(s.extra.ioUringOps).toBeGreaterThanOrEqual(s.extra.ioUringCloses!);
      // The stats connections this test made may still be open: allow for them, not for sessions.
      const after = await settle(async () => descriptors(pid), (n) => n <= before + 2);
      expect(after).toBeLessThanOrEqual(before + 2);
    } finally {
      await server.stop('SIGKILL');
    }
  });

  it('makes every close a plain call with --no-io-uring', async () => {
    const server = await startServerProcess(['--backend', 'epoll', '--idle-timeout', '300ms', '--no-io-uring']);
    try {
      await churn(server);
      const s = await settle(server.stats, drained(3 * PER_MODE + IDLE));
      expect(s.sessions.freed).toBe(3 * PER_MODE + IDLE);
      expect(s.extra.ioUringCloses).toBe(0);
    } finally {
      await server.stop('SIGKILL');
    }
  });
});
