// Accepts through io_uring (uring.ts prepAccept, with IORING_ACCEPT_DONTWAIT): on a kernel that
// has the flag (Linux 6.10) the probe finds them usable, an accept of an empty queue fails EAGAIN
// at once instead of waiting in the ring, and each accept of a waiting connection returns its
// descriptor, non-blocking and close-on-exec. A probe that wrongly failed would quietly send the
// server back to one accept4() per connection, so it is asserted where the kernel should pass it.
import { release } from 'node:os';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptSupported, Uring } from '../../src/native/linux/uring.js';
import { ioUringAvailable } from '../../src/native/platform.js';
import { AF_INET, AF_INET6, SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_STREAM, loadLibc } from '../../src/native/linux/libc.js';
import { EAGAIN } from '../../src/native/linux/errno.js';
import { encodeSockaddr, sockaddrPort } from '../../src/native/sockaddr.js';

const F_GETFD = 1;
const F_GETFL = 3;
const FD_CLOEXEC = 1;
const O_NONBLOCK = 0o4000;

/** Linux 6.10 or later, where IORING_ACCEPT_DONTWAIT exists. */
function dontWaitKernel(): boolean {
  const [major, minor] = release().split('.').map(Number);
  return process.platform === 'linux' && ioUringAvailable() && (major! > 6 || (major === 6 && minor! >= 10));
}

describe.runIf(dontWaitKernel())('io_uring accepts', () => {
  const libc = loadLibc();
  const fds: number[] = [];
  const clients: Socket[] = [];
  let ring: Uring | null = null;

  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
    for (const fd of fds.splice(0)) libc.close(fd);
    ring?.close();
  });

  /** A non-blocking loopback listener: [fd, port]. */
  function listener(): [number, number] {
    const fd = libc.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    expect(fd).toBeGreaterThanOrEqual(0);
    fds.push(fd);
    const addr = encodeSockaddr('127.0.0.1', 0, { inet: AF_INET, inet6: AF_INET6 });
    expect(libc.bind(fd, addr, addr.length)).toBe(0);
    expect(libc.listen(fd, 16)).toBe(0);
    const out = Buffer.alloc(16);
    expect(libc.getsockname(fd, out, [out.length])).toBe(0);
    return [fd, sockaddrPort(out)];
  }

  it('passes the probe on this kernel', () => {
    expect(acceptSupported()).toBe(true);
  });

  it('fails EAGAIN at once on an empty queue, then accepts each waiting connection', async () => {
    // Only on a ring the probe passed: an accept the kernel parked would block run() for good.
    expect(acceptSupported()).toBe(true);
    const [lfd, port] = listener();
    ring = Uring.open(8)!;
    const out = new Int32Array(3).fill(1);
    ring.prepAccept(lfd, SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    expect(ring.run(out)).toBe(1); // a kernel that parked the accept would never return here
    expect(out[0]).toBe(-EAGAIN);
    for (let i = 0; i < 2; i++) {
      const c = connect({ host: '127.0.0.1', port });
      clients.push(c);
      await new Promise((resolve, reject) => c.once('connect', resolve).once('error', reject));
    }
    // A connection is in the queue once the listener's side has its last ACK: on loopback that is
    // at once or nearly, so an EAGAIN before both are there is retried, a bounded number of times.
    const accepted: number[] = [];
    for (let tries = 0; accepted.length < 2 && tries < 200; tries++) {
      ring.prepAccept(lfd, SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      expect(ring.run(out)).toBe(1);
      if (out[0]! >= 0) accepted.push(out[0]!);
      else expect(out[0]).toBe(-EAGAIN);
      if (out[0]! < 0) await new Promise((r) => setImmediate(r));
    }
    fds.push(...accepted);
    expect(accepted).toHaveLength(2);
    ring.prepAccept(lfd, SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    expect(ring.run(out)).toBe(1);
    expect(out[0]).toBe(-EAGAIN);
    for (const fd of accepted) {
      expect(fd).toBeGreaterThanOrEqual(0);
      expect(libc.fcntl(fd, F_GETFD, 0) & FD_CLOEXEC).toBe(FD_CLOEXEC);
      expect(libc.fcntl(fd, F_GETFL, 0) & O_NONBLOCK).toBe(O_NONBLOCK);
    }
  });
});
