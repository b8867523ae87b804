import net from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import type { ServerStats } from '../../src/server/types.js';

/**
 * Echo servers for the flood's tests, on 127.0.0.1 and port 0: one correct, and one per kind of
 * damage the flood must catch. Each fault is injected deterministically so that every run fails
 * the same way. Every server also keeps the counters of the /stats shape (sessions accepted and
 * freed, live, peak), which floodStatsServer.ts can serve over HTTP.
 */
export type Fault = 'none' | 'drop-byte' | 'flip-bit' | 'cross-talk' | 'stall' | 'reorder';

export interface EchoServer {
  port: number;
  stats(): ServerStats;
  /** How the clients' connections ended: with a reset (RST), or with a FIN first. */
  endings(): { resets: number; fins: number };
  close(): Promise<void>;
}

export interface EchoServerOptions {
  fault?: Fault;
  /** Forget to count every n-th session as freed: a server that leaks, for the leak verdict. */
  leakEvery?: number;
}

/** Chunks shorter than this are echoed unharmed: the damage lands inside a frame's body. */
const MIN_DAMAGE = 32;

export async function startEchoServer(opts: EchoServerOptions = {}): Promise<EchoServer> {
  const fault = opts.fault ?? 'none';
  const counts = { accepted: 0, freed: 0, live: 0, peak: 0, bytesIn: 0, bytesOut: 0, resets: 0, fins: 0 };
  const live = new Set<net.Socket>();
  const sockets = new Set<net.Socket>();
  const t0 = Date.now();

  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    const id = counts.accepted++;
    counts.live++;
    counts.peak = Math.max(counts.peak, counts.live);
    live.add(s);
    sockets.add(s);
    let damaged = false;
    let chunks = 0;
    const send = (to: net.Socket, d: Buffer) => {
      counts.bytesOut += d.length;
      if (!to.destroyed && to.writable) to.write(d);
    };
    s.setNoDelay(true);
    s.on('data', (d: Buffer) => {
      counts.bytesIn += d.length;
      chunks++;
      const big = d.length >= MIN_DAMAGE;
      switch (fault) {
        case 'drop-byte':
          if (big && !damaged) {
            damaged = true;
            return send(s, Buffer.concat([d.subarray(0, 20), d.subarray(21)]));
          }
          return send(s, d);
        case 'flip-bit':
          if (big && !damaged) {
            damaged = true;
            const copy = Buffer.from(d);
            copy[copy.length >> 1]! ^= 0x08;
            return send(s, copy);
          }
          return send(s, d);
        case 'cross-talk': {
          // Every third connection's first chunk goes to another live connection instead.
          const other = [...live].reverse().find((o) => o !== s && !o.destroyed);
          if (id % 3 === 2 && chunks === 1 && other) return send(other, d);
          return send(s, d);
        }
        case 'stall':
          // Every third connection stops echoing after its first chunk: the bytes vanish.
          if (id % 3 === 1 && chunks > 1) return;
          return send(s, d);
        case 'reorder':
          if (big) {
            const half = d.length >> 1;
            send(s, d.subarray(half));
            return send(s, d.subarray(0, half));
          }
          return send(s, d);
        default:
          return send(s, d);
      }
    });
    let ended = false;
    s.on('end', () => {
      ended = true;
      counts.fins++;
      s.end();
    });
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (!ended && (e.code === 'ECONNRESET' || e.code === 'EPIPE')) counts.resets++;
    });
    s.on('close', () => {
      live.delete(s);
      sockets.delete(s);
      counts.live--;
      if (!opts.leakEvery || (id + 1) % opts.leakEvery !== 0) counts.freed++;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    stats: () => ({
      backend: 'node',
      workers: 1,
      lifetime: 'refcount',
      listen: { host: '127.0.0.1', port },
      uptimeMs: Date.now() - t0,
      sessions: { live: counts.live, peak: counts.peak, accepted: counts.accepted, freed: counts.freed, rejected: 0 },
      ops: { outstanding: 0, posted: 0, completed: 0, failed: 0 },
      staleCompletions: 0,
      bytes: { in: counts.bytesIn, out: counts.bytesOut },
      perWorker: [{ completions: 0 }],
      extra: {},
    }),
    endings: () => ({ resets: counts.resets, fins: counts.fins }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A correct echo server for the enclosing describe block: started before its tests, closed after.
 * Returns a getter (the server exists only once the tests run).
 */
export function useEchoServer(): () => EchoServer {
  let server: EchoServer | undefined;
  beforeAll(async () => {
    server = await startEchoServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => server!;
}
