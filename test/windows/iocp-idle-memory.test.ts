// The IOCP backend's memory per idle session, under Wine, beside the epoll backend's
// (test/server/idle-10k.test.ts, `npm run bench:sessions`). Each idle session has one zero-byte
// WSARecv posted (extra.zeroByteReads counts them as they complete): on Windows a receive posted
// with a buffer locks that buffer's pages until it completes, and a zero-byte one locks nothing.
//
// What Wine can tell: the resident memory the session costs in node.exe (our session table,
// arena and OVERLAPPEDs, and Wine's own per-socket state in the process) and in wineserver, which
// holds every socket handle and its Unix descriptor. What it cannot: Wine implements sockets over
// Linux sockets and locks no pages for a posted receive, so the non-paged pool a Windows kernel
// spends per posted buffer, which the zero-byte read exists to save, does not show here at all.
//
// Natively on Windows (wine.ts): the server's own resident memory (its working set, from /stats),
// there being no wineserver; that kernel memory is not in the process's working set either.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closeAll, openIdle } from '../helpers/holders.js';
import { quiescent, settle } from '../helpers/serverProcess.js';
import { USE_WINE, WHERE, findWineSetup } from './wine.js';
import { startWineServer } from './wineServer.js';

// As many as the epoll backend holds in test/server/idle-10k.test.ts.
const N = 10_000;

/** Resident bytes of a Linux process (VmRSS), or 0 when it is gone. */
function rssOf(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The wineserver of this prefix (its environment names the prefix). */
function wineserverPid(prefix: string): number {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (!readFileSync(`/proc/${d}/comm`, 'utf8').startsWith('wineserver')) continue;
      const env = readFileSync(`/proc/${d}/environ`, 'utf8').split('\0');
      if (env.includes(`WINEPREFIX=${prefix}`)) return Number(d);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  throw new Error(`no wineserver for ${prefix}`);
}

describe(`IOCP idle sessions ${WHERE}`, () => {
  it(`holds ${N} idle sessions, each a posted zero-byte read, at a measured cost each`, async () => {
    const server = await startWineServer(['--max-sessions', String(N + 100)]);
    try {
      // Wine only: its wineserver, and node.exe as a Linux process (/proc).
      const ws = USE_WINE ? wineserverPid(findWineSetup().prefix) : 0;
      const nodeRss = async () => (USE_WINE ? rssOf(server.proc.pid) : await server.rss());
      // Warm up the workers, the allocator and Wine's handle tables before the baseline.
      closeAll(await openIdle(server.port, 100, 50));
      await settle(server.stats, quiescent, 30_000);
      const before = { node: await nodeRss(), wineserver: USE_WINE ? rssOf(ws) : 0 };
      const sockets = await openIdle(server.port, N, 50);
      try {
        const s = await settle(server.stats, (x) => x.sessions.live === N, 60_000);
        expect(s.sessions.live).toBe(N);
        expect(s.sessions.rejected).toBe(0);
        // Every session is idle with its receive posted: nothing was read, nothing completed.
        expect(s.ops.outstanding).toBeGreaterThanOrEqual(N);
        const node = ((await nodeRss()) - before.node) / N;
        const wineserver = USE_WINE ? (rssOf(ws) - before.wineserver) / N : 0;
        console.log(
          USE_WINE
            ? `IOCP under Wine, resident memory per idle session: node.exe ${(node / 1024).toFixed(2)} KiB, ` +
                `wineserver ${(wineserver / 1024).toFixed(2)} KiB`
            : `IOCP on Windows, resident memory (working set) per idle session: node.exe ${(node / 1024).toFixed(2)} KiB`,
        );
        // node.exe is ~290 MB resident before the sessions (Wine, V8, five workers), and a
        // garbage collection moves that by a few MB either way: the figure per session is good
        // to about ±0.4 KiB, so only a gross cost (a buffer touched per session) fails here.
        expect(node).toBeLessThan(16 * 1024);
        if (USE_WINE) expect(wineserver).toBeLessThan(16 * 1024);
      } finally {
        closeAll(sockets);
      }
      const end = await settle(server.stats, quiescent, 60_000);
      expect(end.sessions.live).toBe(0);
      expect(end.sessions.accepted).toBe(end.sessions.freed);
    } finally {
      await server.interrupt();
    }
  }, 240_000);
});
