/** A client that writes a lot before it reads anything: the server's sends must wait for it. */
import { connect } from 'node:net';

/** Bytes no shift or repetition of a chunk can reproduce (xorshift32). */
export function pattern(n: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

/** Writes all of `data` in 16 KiB pieces, reads nothing for `holdMs`, then reads everything back. */
export function lateReader(port: number, data: Buffer, holdMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.pause();
      for (let off = 0; off < data.length; off += 16 * 1024) s.write(data.subarray(off, off + 16 * 1024));
      setTimeout(() => s.resume(), holdMs);
    });
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`timed out with ${got} of ${data.length} bytes back`));
    }, 30_000);
    s.on('data', (d: Buffer) => {
      chunks.push(d);
      got += d.length;
      if (got >= data.length) {
        clearTimeout(timer);
        s.end();
        resolve(Buffer.concat(chunks));
      }
    });
    s.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/**
 * A client that never reads: it writes `data` and keeps the connection open until `release()`,
 * then resets it. Once the server has taken what its ring and the kernel's buffers hold, its echo
 * cannot be sent and its send must wait: a state reached by volume, not by timing.
 */
export function neverReader(port: number, data: Buffer): Promise<{ reset(): void }> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.pause();
      for (let off = 0; off < data.length; off += 64 * 1024) s.write(data.subarray(off, off + 64 * 1024));
      resolve({ reset: () => s.resetAndDestroy() });
    });
    s.on('error', (e) => reject(e));
  });
}
