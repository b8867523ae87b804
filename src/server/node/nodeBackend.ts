/**
 * The `node` backend: the same echo service on Node's `net` module, single-threaded. It exists
 * only as a baseline to compare the completion backends with; it counts the same statistics
 * (one "worker": the main thread).
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { SysError } from '../../errors.js';
import {
  C_ACCEPT_FAILURES,
  C_ACCEPTED,
  C_BYTES_IN,
  C_BYTES_OUT,
  C_COMPLETED,
  C_COMPLETIONS,
  C_FAILED,
  C_FREED,
  C_IDLE_CLOSED,
  C_POSTED,
  C_REJECTED,
  Counters,
} from '../counters.js';
import type { ServerOptions } from '../types.js';

export interface NodeEcho {
  address: { host: string; port: number };
  counters: Counters;
  live(): number;
  peak(): number;
  close(drainMs: number): Promise<{ drained: boolean }>;
}

export async function startNodeEcho(options: ServerOptions): Promise<NodeEcho> {
  const counters = new Counters(1);
  const c = counters.row(0);
  const sockets = new Set<Socket>();
  let peak = 0;
  const server: Server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    if (sockets.size >= options.maxSessions) {
      c[C_REJECTED]++;
      socket.resetAndDestroy();
      return;
    }
    c[C_ACCEPTED]++;
    sockets.add(socket);
    peak = Math.max(peak, sockets.size);
    socket.setNoDelay(true);
    if (options.idleTimeoutMs > 0) {
      socket.setTimeout(options.idleTimeoutMs, () => {
        c[C_IDLE_CLOSED]++;
        socket.resetAndDestroy();
      });
    }
    // A receive is "posted" while the socket is flowing; count each chunk as one completion.
    socket.on('data', (chunk: Buffer) => {
      c[C_POSTED]++;
      c[C_COMPLETED]++;
      c[C_COMPLETIONS]++;
      c[C_BYTES_IN] += chunk.length;
      const n = chunk.length;
      // write() keeps the chunk until it is flushed; pause while the kernel refuses more
      // (the same bounded-buffer backpressure the completion backends apply).
      // Counted once the kernel took them: a write dropped at a reset or a destroy (its callback
      // gets the error) never went out.
      const sent = (err?: Error | null) => {
        if (!err) c[C_BYTES_OUT] += n;
      };
      if (!socket.write(chunk, sent)) socket.pause();
    });
    socket.on('drain', () => socket.resume());
    socket.on('end', () => socket.end());
    socket.on('error', () => c[C_FAILED]++);
    socket.on('close', () => {
      sockets.delete(socket);
      c[C_FREED]++;
    });
  });
  await new Promise<void>((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) =>
      // libuv's errno is negated (-98); the other backends show the system's (98).
      reject(new SysError('listen', err.code ?? 'EIO', Math.abs(err.errno ?? 0), `on ${options.host}:${options.port}`));
    server.once('error', failed);
    server.listen({ host: options.host, port: options.port, backlog: 4096 }, () => {
      server.off('error', failed);
      resolve();
    });
  });
  // Listening, an 'error' is an accept that failed (ENFILE, ENOMEM; EMFILE where libuv's spare
  // descriptor is gone): counted, as the other backends count theirs. Unheard, the second would
  // end the process. (At EMFILE libuv mostly accepts and closes the waiting clients itself, and
  // says nothing: those drops are not counted; the README's "At the descriptor limit".)
  server.on('error', () => c[C_ACCEPT_FAILURES]++);
  const addr = server.address() as AddressInfo;
  return {
    address: { host: options.host, port: addr.port },
    counters,
    live: () => sockets.size,
    peak: () => peak,
    async close(drainMs) {
      server.close();
      for (const s of sockets) s.resetAndDestroy();
      const until = Date.now() + drainMs;
      while (sockets.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      return { drained: sockets.size === 0 };
    },
  };
}
