// The io_uring batch behind the uring transport: every operation of a run() is done and its
// result (bytes, or -errno) lands under its own tag, one bad entry does not stop the others, and
// a socket's bytes cross intact; where the kernel runs them through the ring, setsockopt,
// epoll_ctl and close do what the plain calls do.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ioUringAvailable } from '../../src/native/platform.js';
import { Uring } from '../../src/native/linux/uring.js';
import {
  AF_UNIX,
  EPOLL_CLOEXEC,
  EPOLL_CTL_ADD,
  EPOLLIN,
  SO_LINGER,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  SOL_SOCKET,
  loadLibc,
} from '../../src/native/linux/libc.js';
import { EAGAIN } from '../../src/native/linux/errno.js';
import { allocArena, freeArena, viewMemory } from '../../src/native/memory.js';
import { ringSupports } from '../helpers/ringSupport.js';

const EBADF = 9;
const PAIRS = 8;
const BYTES = 4096;

describe.runIf(ioUringAvailable())('io_uring batch', () => {
  let ring: Uring;
  let mem: { ptr: bigint; address: number };
  let view: Uint8Array;
  const fds: number[] = [];

  beforeEach(() => {
    ring = Uring.open(64)!;
    mem = allocArena(2 * PAIRS * BYTES);
    view = new Uint8Array(viewMemory(mem.address, 2 * PAIRS * BYTES));
    const libc = loadLibc();
    for (let i = 0; i < PAIRS; i++) {
      const sv = [-1, -1];
      expect(libc.socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv)).toBe(0);
      fds.push(sv[0]!, sv[1]!);
    }
  });

  afterEach(() => {
    for (const fd of fds.splice(0)) loadLibc().close(fd);
    ring.close();
    freeArena(mem.ptr);
  });

  it('sends and reads a batch across many sockets, each result under its tag', () => {
    expect(ring).not.toBeNull();
    // Pair i sends i + 1 KiB of pattern i from its own area; its reader reads into another.
    for (let i = 0; i < PAIRS; i++) {
      view.fill(i + 1, i * BYTES, i * BYTES + BYTES);
      ring.prepSend(fds[2 * i + 1]!, mem.address + i * BYTES, 1024 * ((i % 4) + 1), 0, i);
    }
    const sent = new Int32Array(PAIRS);
    expect(ring.run(sent)).toBe(PAIRS);
    expect([...sent]).toEqual(Array.from({ length: PAIRS }, (_, i) => 1024 * ((i % 4) + 1)));
    for (let i = 0; i < PAIRS; i++) ring.prepRecv(fds[2 * i]!, mem.address + (PAIRS + i) * BYTES, BYTES, 0, PAIRS - 1 - i);
    const got = new Int32Array(PAIRS);
    expect(ring.run(got)).toBe(PAIRS);
    for (let i = 0; i < PAIRS; i++) {
      const n = got[PAIRS - 1 - i]!;
      expect(n).toBe(1024 * ((i % 4) + 1));
      const area = view.subarray((PAIRS + i) * BYTES, (PAIRS + i) * BYTES + n);
      expect(area.every((b) => b === i + 1)).toBe(true);
    }
  });

  it('an empty socket answers EAGAIN at once, and a bad descriptor does not stop the rest', () => {
    const res = new Int32Array(3);
    ring.prepRecv(fds[0]!, mem.address, BYTES, 0, 0); // nothing sent yet
    ring.prepSend(987_654, mem.address, 1, 0, 1); // no such descriptor
    ring.prepSend(fds[1]!, mem.address, 7, 0, 2);
    expect(ring.run(res)).toBe(3);
    expect([...res]).toEqual([-EAGAIN, -EBADF, 7]);
    expect(ring.prepared).toBe(0);
  });

  it('refuses more entries than one run can carry', () => {
    for (let i = 0; i < ring.capacity; i++) ring.prepRecv(fds[0]!, mem.address, 1, 0, 0);
    expect(() => ring.prepRecv(fds[0]!, mem.address, 1, 0, 0)).toThrow(RangeError);
    const res = new Int32Array(1);
    expect(ring.run(res)).toBe(ring.capacity);
    expect(res[0]).toBe(-EAGAIN);
  });

  it.runIf(ringSupports('setsockopt', 'epollCtl', 'close'))('sets an option, registers with epoll and closes through the ring', () => {
    const libc = loadLibc();
    const epfd = libc.epoll_create1(EPOLL_CLOEXEC);
    expect(epfd).toBeGreaterThanOrEqual(0);
    try {
      const d = new DataView(viewMemory(mem.address, 64));
      d.setInt32(0, 1, true); // linger {1, 7}
      d.setInt32(4, 7, true);
      d.setUint32(8, EPOLLIN, true); // epoll_event { EPOLLIN, data 0x5eed }
      d.setUint32(12, 0x5eed, true);
      d.setUint32(16, 0, true);
      ring.prepSetsockopt(fds[0]!, SOL_SOCKET, SO_LINGER, mem.address, 8, 0);
      ring.prepEpollCtl(epfd, EPOLL_CTL_ADD, fds[2]!, mem.address + 8, 1);
      ring.prepClose(fds[4]!, 2);
      const res = new Int32Array(3).fill(1);
      expect(ring.run(res)).toBe(3);
      expect([...res]).toEqual([0, 0, 0]);
      fds.splice(4, 1); // closed: its number is no longer ours to close

      // The option reads back as set.
      d.setUint32(32, 8, true);
      expect(libc.getsockopt(fds[0]!, SOL_SOCKET, SO_LINGER, mem.address + 24, mem.address + 32)).toBe(0);
      expect([d.getInt32(24, true), d.getInt32(28, true)]).toEqual([1, 7]);
      // The registered socket reports input with its data word.
      ring.prepSend(fds[3]!, mem.address, 1, 0, 0);
      ring.run(res);
      expect(libc.epoll_wait(epfd, mem.address + 40, 1, 1000)).toBe(1);
      expect(d.getUint32(44, true)).toBe(0x5eed);
      // The closed socket's peer reads end of file.
      ring.prepRecv(fds[4]!, mem.address + 60, 1, 0, 0);
      ring.run(res);
      expect(res[0]).toBe(0);
    } finally {
      libc.close(epfd);
    }
  });
});
