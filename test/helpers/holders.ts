/** Opens many idle connections and holds them (bounded in time); loopback only. */
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
