/**
 * Making an epoll worker of a server in this process fail (Linux): its io_uring descriptor is
 * replaced under it, and its next io_uring_enter fails. Used by the worker-failure tests.
 */
import { closeSync, openSync, readdirSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import { loadLibc } from '../../src/native/linux/libc.js';

/** This process's io_uring descriptors. */
export function rings(): Set<number> {
  const out = new Set<number>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === 'anon_inode:[io_uring]') out.add(Number(fd));
    } catch {
      // closed since the listing
    }
  }
  return out;
}

/**
 * Puts /dev/null in each descriptor's place (the number stays taken, so nothing else of this
 * process gets it and a later close of it by the worker closes /dev/null); returns what dup2()
 * returned for each (the descriptor itself when it worked).
 */
export function replaceWithDevNull(fds: number[]): number[] {
  const libc = loadLibc();
  const devNull = openSync('/dev/null', 'r');
  try {
    return fds.map((fd) => libc.dup2(devNull, fd));
  } finally {
    closeSync(devNull);
  }
}

/** One echo of 1 KiB on a new connection: true when it came back whole within `ms`. */
export function echoOnce(port: number, ms: number): Promise<boolean> {
  const payload = Buffer.alloc(1024, 0x5a);
  return new Promise((resolve) => {
    const c = net.connect({ host: '127.0.0.1', port });
    let got = 0;
    const done = (ok: boolean) => {
      clearTimeout(t);
      c.destroy();
      resolve(ok);
    };
    const t = setTimeout(() => done(false), ms);
    c.on('connect', () => c.write(payload));
    c.on('data', (d) => {
      got += d.length;
      if (got >= payload.length) done(true);
    });
    c.on('error', () => done(false));
  });
}
