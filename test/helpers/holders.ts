/**
 * Client connections that send nothing: many held open, or one that waits for the server to end
 * it. Bounded in time; loopback only.
 */
import { connect, type Socket } from 'node:net';

export async function openIdle(port: number, count: number, concurrency = 500, host = '127.0.0.1'): Promise<Socket[]> {
  const sockets: Socket[] = [];
  await inLanes(count, concurrency, async () => {
    sockets.push(
      await new Promise<Socket>((resolve, reject) => {
        const s = connect({ host, port });
        const t = setTimeout(() => reject(new Error('connect timed out')), 20_000);
        s.once('connect', () => (clearTimeout(t), resolve(s)));
        s.once('error', (e) => (clearTimeout(t), reject(e)));
      }),
    );
  });
  return sockets;
}

/** Runs `open` `count` times, at most `concurrency` at once. */
async function inLanes(count: number, concurrency: number, open: () => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next++;
      await open();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

/**
 * Closes with a reset: a client that closes first with a FIN leaves its port in TIME_WAIT
 * (60 s on Linux, 120-240 s on Windows, where Node binds before connecting and cannot reuse it),
 * and the connection-heavy tests would run a Windows runner out of ephemeral ports.
 */
export function closeAll(sockets: Socket[]): void {
  for (const s of sockets) {
    if (s.destroyed) continue;
    if (s.readyState === 'open') s.resetAndDestroy();
    else s.destroy();
  }
}

/** Connects and waits, at most `ms`, for the server to end the connection: by a reset, or a FIN. */
export function closedWithin(port: number, ms: number, host = '127.0.0.1'): Promise<'reset' | 'eof' | 'open'> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const t = setTimeout(() => (s.destroy(), resolve('open')), ms);
    s.on('error', () => (clearTimeout(t), resolve('reset')));
    s.on('end', () => (clearTimeout(t), s.destroy(), resolve('eof')));
  });
}

/** A client connection that sends nothing and notes whether the server reset it. */
export interface Watched {
  socket: Socket;
  reset: boolean;
}

/** Opens `count` idle connections (at most `concurrency` connecting at once), each watched for a reset. */
export async function openWatched(port: number, count: number, concurrency = 200, host = '127.0.0.1'): Promise<Watched[]> {
  const all: Watched[] = [];
  await inLanes(count, concurrency, () => new Promise<void>((resolve) => {
    const w: Watched = { socket: connect({ host, port }), reset: false };
    all.push(w);
    const t = setTimeout(resolve, 20_000);
    w.socket.once('connect', () => (clearTimeout(t), resolve()));
    w.socket.on('error', () => {
      w.reset = true;
      clearTimeout(t);
      resolve();
    });
  }));
  return all;
}

/** One round trip on an open connection: resolves with what came back (at most `ms`). */
export function echoOnce(socket: Socket, payload: string, ms = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const t = setTimeout(() => (socket.off('data', onData), reject(new Error(`no echo within ${ms} ms (got "${got}")`))), ms);
    const onData = (b: Buffer) => {
      got += b.toString();
      if (got.length >= payload.length) {
        clearTimeout(t);
        socket.off('data', onData);
        resolve(got);
      }
    };
    socket.on('data', onData);
    socket.write(payload);
  });
}
