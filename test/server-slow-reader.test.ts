// A client that writes far more than the server can send back before it starts reading gets
// every byte back, in order: the server's sends go pending (the echo waits in the session's
// ring, not in a worker's scratch buffer), its receives pause on a full ring, and both resume.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { quiescent, settle, useServerProcess } from './helpers/serverProcess.js';

const backends = process.platform === 'linux' ? ['epoll', 'node'] : process.platform === 'win32' ? ['iocp', 'node'] : ['node'];
const TOTAL = 16 * 1024 * 1024;

/** Bytes no shift or repetition of a chunk can reproduce (xorshift32). */
function pattern(n: number, seed: number): Buffer {
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
function lateReader(port: number, data: Buffer, holdMs: number): Promise<Buffer> {
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

// 16k: rings smaller than the echo; 4m: rings larger than a worker's scratch buffer (epoll).
const cases = backends.flatMap((b) => (b === 'node' ? [[b, '16k']] : [[b, '16k'], [b, '4m']]));

describe.each(cases)('%s backend with --buffer-size %s, a client that reads late', (backend, bufferSize) => {
  const server = useServerProcess(['--backend', backend!, '--buffer-size', bufferSize!, '--max-sessions', '100']);

  it('gets every byte back in order, the server\'s sends having waited', async () => {
    const inputs = [pattern(TOTAL, 1), pattern(TOTAL, 2)];
    const echoes = await Promise.all(inputs.map((d) => lateReader(server().port, d, 300)));
    for (let k = 0; k < inputs.length; k++) {
      expect(echoes[k]!.length).toBe(TOTAL);
      expect(echoes[k]!.equals(inputs[k]!)).toBe(true);
    }
    const s = await settle(server().stats, quiescent);
    expect(s.sessions).toMatchObject({ live: 0, accepted: 2, freed: 2 });
    expect(s.bytes.in).toBe(2 * TOTAL);
    expect(s.bytes.out).toBe(2 * TOTAL);
    expect(s.staleCompletions).toBe(0);
    if (backend !== 'node') expect(s.extra.sendBackpressure).toBeGreaterThan(0);
  }, 60_000);
});
