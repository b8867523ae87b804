/**
 * Client connections that send nothing: many held open, or one that waits for the server to end
 * it. Bounded in time; loopback only.
 */
import { connect, type Socket } from 'node:net';

export async function openIdle(port: number, count: number, concurrency = 500, host = '127.0.0.1'): Promise<Socket[]> {
  const sockets: Socket[] = [];
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next++;
      sockets.push(
        await new Promise<Socket>((resolve, reject) => {
          const s = connect({ host, port });
          const t = setTimeout(() => reject(new Error('connect timed out')), 20_000);
          s.once('connect', () => (clearTimeout(t), resolve(s)));
          s.once('error', (e) => (clearTimeout(t), reject(e)));
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return sockets;
}

export function closeAll(sockets: Socket[]): void {
  for (const s of sockets) s.destroy();
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
