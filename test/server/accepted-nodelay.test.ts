// Every session's socket has TCP_NODELAY on (an echo must not wait behind Nagle for the peer's
// ACK), on IPv4 and IPv6, connection after connection. The epoll backend sets it on the listener;
// accepted sockets inherit it, and a worker whose first accepted socket has not inherited it sets
// it on each. This test sees the option, not which of the two put it there.
// The server runs in this process, so the test can read the option on the server's own socket.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { IPPROTO_TCP, TCP_NODELAY, loadLibc } from '../../src/native/linux/libc.js';
import { allocArena, freeArena, viewMemory } from '../../src/native/memory.js';
import { startServer, type ServerStats } from '../../src/server/index.js';
import { settle } from '../helpers/serverProcess.js';

/** The descriptor in this process of the TCP socket from port `local` to port `remote`. */
function socketFd(local: number, remote: number): number {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const port = (addr: string) => parseInt(addr.slice(addr.lastIndexOf(':') + 1), 16);
      if (port(f[1]) === local && port(f[2]) === remote) inodes.add(f[9]);
    }
  }
  const fds = readdirSync('/proc/self/fd').filter((fd) => {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      return m !== null && inodes.has(m[1]);
    } catch {
      return false; // closed since the listing
    }
  });
  expect(fds).toHaveLength(1);
  return Number(fds[0]);
}

function nodelay(fd: number): number {
  const mem = allocArena(8);
  try {
    const dv = new DataView(viewMemory(mem.address, 8));
    dv.setUint32(4, 4, true);
    expect(loadLibc().getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, mem.address, mem.address + 4)).toBe(0);
    return dv.getInt32(0, true);
  } finally {
    freeArena(mem.ptr);
  }
}

describe.runIf(process.platform === 'linux')('accepted sockets and Nagle', () => {
  for (const host of ['127.0.0.1', '::1']) {
    it(`has TCP_NODELAY on every session's socket (${host})`, async () => {
      const server = await startServer({ backend: 'epoll', host, port: 0, workers: 2, statsPort: null });
      const clients: net.Socket[] = [];
      try {
        const read = async (): Promise<ServerStats> => server.stats();
        for (let i = 1; i <= 3; i++) {
          const c = net.connect({ host, port: server.address.port });
          clients.push(c);
          await new Promise<void>((resolve, reject) => c.once('connect', resolve).once('error', reject));
          expect((await settle(read, (s) => s.sessions.live === i)).sessions.live).toBe(i);
          expect(nodelay(socketFd(server.address.port, c.localPort!))).toBe(1);
        }
      } finally {
        for (const c of clients) c.destroy();
        await server.close();
      }
    });
  }
});
