// Slow readers at the descriptor limit: a session whose echo has to wait registers its send on a
// dup() of the socket, a second descriptor. Those must stay below the --fd-reserve ceiling, as
// accepted sockets do: taken from the reserve, they left the stats endpoint no descriptor (it
// stopped answering) and, at the limit itself, failed and reset sessions. Under
// `prlimit --nofile=160:160 --fd-reserve 40`, clients that send half a MiB and never read: the
// server holds what fits (a session and its dup each), resets the rest, keeps the reserve free,
// still answers /stats, and once everyone leaves the leak invariant holds and SIGTERM exits 0.
import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closeAll } from '../helpers/holders.js';
import { quiescent, settle, startServerProcess } from '../helpers/serverProcess.js';

const LIMIT = 160;
const RESERVE = 40;
const CLIENTS = 100;
const CHUNK = Buffer.alloc(64 * 1024, 0x61);
const CHUNKS = 8;

/** A client that sends CHUNKS × 64 KiB and never reads (Node queues what the kernel does not take). */
function slowReader(port: number): Socket {
  const s = connect({ host: '127.0.0.1', port });
  s.pause();
  s.on('error', () => {});
  for (let i = 0; i < CHUNKS; i++) s.write(CHUNK);
  return s;
}

// prlimit and --fd-reserve are Linux's (the epoll backend's descriptor limit).
describe.runIf(process.platform === 'linux')(`slow readers against a ${LIMIT}-descriptor server`, () => {
  it('keeps the reserve free: stats answer, what does not fit is reset, and the stop is clean', async () => {
    const server = await startServerProcess(['--send-buffer', '4k', '--fd-reserve', String(RESERVE)], 15_000, ['prlimit', `--nofile=${LIMIT}:${LIMIT}`, '--']);
    const clients = Array.from({ length: CLIENTS }, () => slowReader(server.port));
    let stopped = false;
    try {
      // Every connection dealt with, and every session held has its echo waiting on a slow
      // reader or has failed for want of a descriptor.
      const s = await settle(
        server.stats,
        (x) => x.sessions.accepted + x.sessions.rejected >= CLIENTS && (x.extra.sendBackpressure ?? 0) + x.ops.failed >= x.sessions.accepted,
        20_000,
      );
      expect(s.sessions.accepted + s.sessions.rejected).toBe(CLIENTS);
      expect(s.extra.sendBackpressure).toBeGreaterThan(0);
      // The sessions reset for want of a descriptor are counted as such.
      expect(s.extra.sendDescriptorResets).toBeGreaterThan(0);
      expect(s.extra.sendDescriptorResets).toBeLessThanOrEqual(s.ops.failed);
      expect(s.extra.sendDescriptorResets).toBe(s.sessions.accepted - s.sessions.live);
      // The reserve is free: the process holds no descriptor at or above the ceiling but the
      // stats endpoint's (one connection at a time here).
      const fds = readdirSync(`/proc/${server.child.pid}/fd`).map(Number);
      expect(fds.filter((fd) => fd >= LIMIT - RESERVE).length).toBeLessThanOrEqual(2);
      expect((await server.stats()).sessions.live).toBe(s.sessions.live);
      closeAll(clients);
      const after = await settle(server.stats, quiescent);
      expect(after.sessions.live).toBe(0);
      expect(after.ops.outstanding).toBe(0);
      expect(after.sessions.accepted).toBe(after.sessions.freed);
      expect(after.staleCompletions).toBe(0);
      stopped = true;
      expect((await server.stop('SIGTERM', 5000)).code).toBe(0);
    } finally {
      closeAll(clients);
      // A failed assertion leaves no server behind.
      if (!stopped) await server.stop('SIGKILL', 5000);
    }
  }, 60_000);
});
