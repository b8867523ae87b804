/**
 * io_uring bindings (a binding file, like libc.ts): one ring used only to batch non-blocking
 * socket calls. Every operation is a recv() or send() with MSG_DONTWAIT, an accept4() that
 * fails EAGAIN on an empty queue, or a close(), setsockopt() or epoll_ctl() (which never wait
 * for the network), prepared in the submission
 * queue, and `run()` submits the lot in one io_uring_enter() and waits for every result: the
 * kernel does the same work as the plain calls, but a batch of them costs one system call instead
 * of one each. No operation outlives `run()`, so closing a socket never races an operation the
 * ring still holds.
 *
 * io_uring may be missing or forbidden (old kernels, seccomp profiles that block it), so `open()`
 * probes before it returns a ring: setup, the mappings, and a socketpair on which a recv of an
 * empty socket must come back EAGAIN at once, and a send and a recv must move one byte. Anything
 * else and it returns null, and the caller keeps to the plain calls. close, setsockopt (Linux 6.7)
 * and epoll_ctl through the ring are probed apart, on first use (`supports()`): a kernel that
 * lacks one keeps the plain call for it alone. So is accept (IORING_ACCEPT_DONTWAIT, Linux 6.10),
 * on a ring of its own (`acceptSupported()`): a kernel that parked the probe's accept would keep
 * it in the ring it was made in.
 *
 * Layouts are those of <linux/io_uring.h> on 64-bit Linux.
 */
import koffi from 'koffi';
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  EPOLL_CLOEXEC,
  EPOLL_CTL_ADD,
  EPOLLIN,
  MSG_DONTWAIT,
  MSG_NOSIGNAL,
  SO_LINGER,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  SOL_SOCKET,
  loadLibc,
} from './libc.js';
import { EAGAIN, EBUSY, EINTR } from './errno.js';
import { allocArena, freeArena, viewMemory } from '../memory.js';
import { encodeSockaddr } from '../sockaddr.js';

const SYS_io_uring_setup = 425;
const SYS_io_uring_enter = 426;
const IORING_SETUP_CLAMP = 1 << 4;
const IORING_SETUP_SUBMIT_ALL = 1 << 7;
const IORING_FEAT_SINGLE_MMAP = 1 << 0;
const IORING_OFF_SQ_RING = 0;
const IORING_OFF_SQES = 0x10000000;
const IORING_ENTER_GETEVENTS = 1;
const IORING_OP_ACCEPT = 13;
const IORING_OP_CLOSE = 19;
const IORING_OP_SEND = 26;
const IORING_OP_RECV = 27;
const IORING_OP_EPOLL_CTL = 29;
const IORING_OP_URING_CMD = 46;
const SOCKET_URING_OP_SETSOCKOPT = 3;
/** sqe->ioprio of an accept: fail EAGAIN on an empty queue instead of waiting (Linux 6.10). */
const IORING_ACCEPT_DONTWAIT = 1 << 1;
const PROT_READ_WRITE = 0x3;
const MAP_SHARED_POPULATE = 0x01 | 0x8000;
const SQE_BYTES = 64;
const CQE_BYTES = 16;
const PARAMS_BYTES = 120;

let cached: ReturnType<typeof bind> | null = null;

function bind() {
  const lib = koffi.load('libc.so.6');
  return {
    syscall: lib.func('long syscall(long number, ...)'),
    // The same function with io_uring_enter's arguments spelled out: a variadic koffi call parses
    // its argument types on every call (about 0.4 µs here), and this one runs on every batch.
    // glibc's syscall() only moves registers, so on x86-64 and arm64 Linux a fixed prototype
    // passes the arguments exactly as the variadic one does.
    syscallEnter: lib.func(
      'long syscall(long number, int fd, uint32_t to_submit, uint32_t min_complete, uint32_t flags, uintptr_t sig, size_t sigsz)',
    ),
    // MAP_FAILED, (void *)-1, does not fit a double and comes back as a BigInt.
    mmap: lib.func('uintptr_t mmap(uintptr_t addr, size_t length, int prot, int flags, int fd, int64_t offset)'),
    munmap: lib.func('int munmap(uintptr_t addr, size_t length)'),
    libc: loadLibc(),
  };
}

type Bound = ReturnType<typeof bind>;

export class Uring {
  /** How many operations one run() may carry. */
  readonly capacity: number;
  private readonly sqHead: Uint32Array;
  private readonly sqTail: Uint32Array;
  private readonly sqMask: number;
  private readonly cqHead: Uint32Array;
  private readonly cqTail: Uint32Array;
  private readonly cqMask: number;
  private readonly cqes: Int32Array;
  private readonly sqe32: Uint32Array;
  private pending = 0;
  private closed = false;
  private extras: Extras | null = null;

  private constructor(
    private readonly b: Bound,
    private readonly fd: number,
    private readonly ringAddr: number,
    private readonly ringBytes: number,
    private readonly sqesAddr: number,
    private readonly sqesBytes: number,
    p: DataView,
  ) {
    const ring = viewMemory(ringAddr, ringBytes);
    const sqEntries = p.getUint32(0, true);
    this.sqHead = new Uint32Array(ring, p.getUint32(40, true), 1);
    this.sqTail = new Uint32Array(ring, p.getUint32(44, true), 1);
    this.sqMask = new Uint32Array(ring, p.getUint32(48, true), 1)[0]!;
    const array = new Uint32Array(ring, p.getUint32(64, true), sqEntries);
    for (let i = 0; i < sqEntries; i++) array[i] = i; // the queue's slot i is always SQE i
    this.cqHead = new Uint32Array(ring, p.getUint32(80, true), 1);
    this.cqTail = new Uint32Array(ring, p.getUint32(84, true), 1);
    this.cqMask = new Uint32Array(ring, p.getUint32(88, true), 1)[0]!;
    const cqEntries = p.getUint32(4, true);
    this.cqes = new Int32Array(ring, p.getUint32(100, true), (cqEntries * CQE_BYTES) / 4);
    const sqes = viewMemory(sqesAddr, sqesBytes);
    this.sqe32 = new Uint32Array(sqes);
    this.capacity = Math.min(sqEntries, cqEntries);
  }

  /** A probed ring of (at least) `entries` submissions, or null where io_uring cannot be used here. */
  static open(entries: number): Uring | null {
    let b: Bound;
    try {
      cached ??= bind();
      b = cached;
    } catch {
      return null;
    }
    const params = allocArena(PARAMS_BYTES);
    try {
      const p = new DataView(viewMemory(params.address, PARAMS_BYTES));
      let fd = -1;
      for (const flags of [IORING_SETUP_CLAMP | IORING_SETUP_SUBMIT_ALL, IORING_SETUP_CLAMP]) {
        for (let i = 0; i < PARAMS_BYTES; i += 4) p.setUint32(i, 0, true);
        p.setUint32(8, flags, true);
        fd = Number(b.syscall(SYS_io_uring_setup, 'uint32_t', entries, 'uintptr_t', params.address));
        if (fd >= 0) break;
      }
      if (fd < 0) return null;
      const ring = Uring.map(b, fd, p);
      if (!ring) {
        b.libc.close(fd);
        return null;
      }
      if (!ring.probe()) {
        ring.close();
        return null;
      }
      return ring;
    } finally {
      freeArena(params.ptr);
    }
  }

  private static map(b: Bound, fd: number, p: DataView): Uring | null {
    if ((p.getUint32(20, true) & IORING_FEAT_SINGLE_MMAP) === 0) return null;
    const sqEntries = p.getUint32(0, true);
    const cqEntries = p.getUint32(4, true);
    const ringBytes = Math.max(p.getUint32(64, true) + sqEntries * 4, p.getUint32(100, true) + cqEntries * CQE_BYTES);
    const sqesBytes = sqEntries * SQE_BYTES;
    const ringAddr = b.mmap(0, ringBytes, PROT_READ_WRITE, MAP_SHARED_POPULATE, fd, IORING_OFF_SQ_RING) as unknown;
    if (typeof ringAddr !== 'number') return null;
    const sqesAddr = b.mmap(0, sqesBytes, PROT_READ_WRITE, MAP_SHARED_POPULATE, fd, IORING_OFF_SQES) as unknown;
    if (typeof sqesAddr !== 'number') {
      b.munmap(ringAddr, ringBytes);
      return null;
    }
    return new Uring(b, fd, ringAddr, ringBytes, sqesAddr, sqesBytes, p);
  }

  /** On a fresh socketpair: an empty recv must fail EAGAIN at once, then one byte must go across. */
  private probe(): boolean {
    const sv = [-1, -1];
    if (this.b.libc.socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) !== 0) return false;
    const mem = allocArena(8);
    try {
      const out = new Int32Array(2);
      this.prepRecv(sv[0]!, mem.address, 1, 0, 0);
      // Not run(): it waits for every result, and a kernel that parks the recv would never answer.
      this.publish();
      if (this.enter(1, 0, 0) !== 1 || this.reap(out) !== 1 || out[0] !== -EAGAIN) return false;
      this.prepSend(sv[1]!, mem.address, 1, MSG_NOSIGNAL, 0);
      this.prepRecv(sv[0]!, mem.address + 4, 1, 0, 1);
      return this.run(out) === 2 && out[0] === 1 && out[1] === 1;
    } finally {
      this.b.libc.close(sv[0]!);
      this.b.libc.close(sv[1]!);
      freeArena(mem.ptr);
    }
  }

  /** On a loopback listener: an accept of an empty queue fails EAGAIN at once, then one connects. */
  probeAccept(): boolean {
    const libc = this.b.libc;
    const lfd = libc.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const cfd = libc.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const out = new Int32Array(1);
    const name = allocArena(16);
    try {
      if (lfd < 0 || cfd < 0) return false;
      const loopback = encodeSockaddr('127.0.0.1', 0, { inet: AF_INET, inet6: AF_INET6 });
      if (libc.bind(lfd, loopback, loopback.length) !== 0 || libc.listen(lfd, 1) !== 0) return false;
      const bound = Buffer.alloc(16);
      if (libc.getsockname(lfd, bound, [bound.length]) !== 0) return false;
      new Uint8Array(viewMemory(name.address, 16)).set(bound);
      this.prepAccept(lfd, SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      // Not run(): it waits for every result, and a kernel that parks the accept would never answer.
      this.publish();
      if (this.enter(1, 0, 0) !== 1 || this.reap(out) !== 1 || out[0] !== -EAGAIN) return false;
      libc.connect(cfd, name.address, 16); // non-blocking: EINPROGRESS, the handshake completes in the kernel
      for (let tries = 0; tries < 100; tries++) {
        this.prepAccept(lfd, SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (this.run(out) !== 1) return false;
        if (out[0]! >= 0) {
          libc.close(out[0]!);
          return true;
        }
        if (out[0] !== -EAGAIN) return false;
      }
      return false;
    } finally {
      if (lfd >= 0) libc.close(lfd);
      if (cfd >= 0) libc.close(cfd);
      freeArena(name.ptr);
    }
  }

  /** Operations prepared and not yet run. */
  get prepared(): number {
    return this.pending;
  }

  /** recv(fd, addr, len, flags | MSG_DONTWAIT); its result goes to results[tag]. */
  prepRecv(fd: number, addr: number, len: number, flags: number, tag: number): void {
    this.prep(IORING_OP_RECV, fd, addr, len, flags | MSG_DONTWAIT, tag);
  }

  /** send(fd, addr, len, flags | MSG_DONTWAIT); its result goes to results[tag]. */
  prepSend(fd: number, addr: number, len: number, flags: number, tag: number): void {
    this.prep(IORING_OP_SEND, fd, addr, len, flags | MSG_DONTWAIT, tag);
  }

  /**
   * accept4(fd, NULL, NULL, flags), failing EAGAIN at once when no connection waits; its result
   * (the new descriptor, or -errno) goes to results[tag]. Only where acceptSupported().
   */
  prepAccept(fd: number, flags: number, tag: number): void {
    const w = this.prep(IORING_OP_ACCEPT, fd, 0, 0, flags, tag);
    this.sqe32[w] = IORING_OP_ACCEPT | (IORING_ACCEPT_DONTWAIT << 16); // ioprio: the accept's flags
  }

  /** close(fd); its result goes to results[tag]. Only where supports('close'). */
  prepClose(fd: number, tag: number): void {
    this.prep(IORING_OP_CLOSE, fd, 0, 0, 0, tag);
  }

  /** setsockopt(fd, level, name, value, len); its result goes to results[tag]. Only where supports('setsockopt'). */
  prepSetsockopt(fd: number, level: number, name: number, value: number, len: number, tag: number): void {
    const w = this.prep(IORING_OP_URING_CMD, fd, 0, 0, 0, tag);
    const q = this.sqe32;
    q[w + 2] = SOCKET_URING_OP_SETSOCKOPT; // cmd_op
    q[w + 4] = level;
    q[w + 5] = name;
    q[w + 11] = len; // optlen
    this.put64(w + 12, value); // optval
  }

  /**
   * epoll_ctl(epfd, op, fd, event); its result goes to results[tag]. `event` must stay put until
   * run() returns. Only where supports('epollCtl').
   */
  prepEpollCtl(epfd: number, op: number, fd: number, event: number, tag: number): void {
    const w = this.prep(IORING_OP_EPOLL_CTL, epfd, event, op, 0, tag);
    this.sqe32[w + 2] = fd; // off: the target descriptor
  }

  /** Whether this kernel runs `call` through the ring (probed on the first question). */
  supports(call: keyof Extras): boolean {
    this.extras ??= this.probeExtras();
    return this.extras[call];
  }

  /**
   * One batch on scratch descriptors: SO_LINGER on a socket, that socket added to an epoll set,
   * and the close of another socket. An operation this kernel lacks completes with an error.
   */
  private probeExtras(): Extras {
    const none: Extras = { close: false, setsockopt: false, epollCtl: false };
    const libc = this.b.libc;
    const sv = [-1, -1];
    if (libc.socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) !== 0) return none;
    const epfd = libc.epoll_create1(EPOLL_CLOEXEC);
    const mem = allocArena(32);
    const out = new Int32Array(3).fill(1);
    try {
      if (epfd < 0) return none;
      const d = new DataView(viewMemory(mem.address, 32));
      d.setInt32(0, 1, true); // linger {1, 0}
      d.setInt32(4, 0, true);
      d.setUint32(8, EPOLLIN, true); // epoll_event { EPOLLIN, 0 }
      this.prepSetsockopt(sv[0]!, SOL_SOCKET, SO_LINGER, mem.address, 8, 0);
      this.prepEpollCtl(epfd, EPOLL_CTL_ADD, sv[0]!, mem.address + 8, 1);
      this.prepClose(sv[1]!, 2);
      this.run(out);
      if (out[2] === 0) sv[1] = -1; // closed by the ring: never close that number twice
      return { setsockopt: out[0] === 0, epollCtl: out[1] === 0, close: out[2] === 0 };
    } catch {
      // io_uring_enter itself failed, perhaps after the close: leave that number alone (one
      // descriptor may leak) rather than risk closing one another thread has opened since.
      sv[1] = -1;
      return none;
    } finally {
      for (const fd of [sv[0]!, sv[1]!, epfd]) if (fd >= 0) libc.close(fd);
      freeArena(mem.ptr);
    }
  }

  private prep(op: number, fd: number, addr: number, len: number, flags: number, tag: number): number {
    if (this.pending >= this.capacity) throw new RangeError(`io_uring batch is full (${this.capacity})`);
    const tail = this.sqTail[0]!;
    const i = (tail + this.pending) & this.sqMask;
    const w = i * (SQE_BYTES / 4);
    const q = this.sqe32;
    q[w] = op; // opcode, with flags and ioprio 0 (little-endian)
    q[w + 1] = fd;
    q[w + 2] = 0; // off
    q[w + 3] = 0;
    this.put64(w + 4, addr);
    q[w + 6] = len;
    q[w + 7] = flags;
    q[w + 8] = tag; // user_data
    q[w + 9] = 0;
    for (let k = 10; k < 16; k++) q[w + k] = 0;
    this.pending++;
    return w;
  }

  /** An address (below 2^53) into two words of the submission entries, low word first. */
  private put64(word: number, value: number): void {
    this.sqe32[word] = value >>> 0;
    this.sqe32[word + 1] = Math.floor(value / 0x100000000);
  }

  /**
   * Submits what was prepared, waits until all of it is done, and stores each result (bytes, or
   * -errno) in results[tag]. Returns how many results came back (all of them).
   */
  run(results: Int32Array): number {
    const n = this.pending;
    if (n === 0) return 0;
    this.publish();
    let got = 0;
    for (;;) {
      // The kernel stops submitting at an entry it rejects (that one completes with the error);
      // the rest stay queued for the next call. It waits only once everything is submitted.
      const unsubmitted = (this.sqTail[0]! - Atomics.load(this.sqHead, 0)) >>> 0;
      const r = this.enter(unsubmitted, n - got, IORING_ENTER_GETEVENTS);
      got += this.reap(results);
      if (got >= n) return got;
      if (r < 0 && r !== -EINTR && r !== -EAGAIN && r !== -EBUSY) {
        throw new Error(`io_uring_enter failed (errno ${-r}) with ${n - got} of ${n} operations outstanding`);
      }
    }
  }

  /** Hands the prepared entries to the kernel's side of the queue (read at the next enter). */
  private publish(): void {
    Atomics.store(this.sqTail, 0, (this.sqTail[0]! + this.pending) >>> 0);
    this.pending = 0;
  }

  /** io_uring_enter(): the count submitted, or -errno. */
  private enter(toSubmit: number, minComplete: number, flags: number): number {
    const r = Number(this.b.syscallEnter(SYS_io_uring_enter, this.fd, toSubmit, minComplete, flags, 0, 0));
    return r >= 0 ? r : -koffi.errno();
  }

  private reap(results: Int32Array): number {
    let head = this.cqHead[0]!;
    const tail = Atomics.load(this.cqTail, 0);
    const c = this.cqes;
    let n = 0;
    while (head !== tail) {
      const w = (head & this.cqMask) * (CQE_BYTES / 4);
      results[c[w]!] = c[w + 2]!;
      head = (head + 1) >>> 0;
      n++;
    }
    Atomics.store(this.cqHead, 0, head);
    return n;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.b.munmap(this.sqesAddr, this.sqesBytes);
    this.b.munmap(this.ringAddr, this.ringBytes);
    this.b.libc.close(this.fd);
  }
}

/** The calls besides recv and send that a ring may carry. */
export interface Extras {
  close: boolean;
  setsockopt: boolean;
  epollCtl: boolean;
}

let probed: boolean | null = null;
let acceptProbed: boolean | null = null;

/**
 * Whether accepts go through a ring here without waiting (checked once per thread, on a ring of
 * its own): on an empty listener an accept must fail EAGAIN at once, then take a connection.
 */
export function acceptSupported(): boolean {
  if (acceptProbed !== null) return acceptProbed;
  acceptProbed = false;
  const ring = Uring.open(8);
  if (!ring) return false;
  try {
    acceptProbed = ring.probeAccept();
  } finally {
    ring.close();
  }
  return acceptProbed;
}

/** Whether io_uring passes the probe on this machine (checked once per thread). */
export function uringAvailable(): boolean {
  if (probed === null) {
    const r = Uring.open(8);
    probed = r !== null;
    r?.close();
  }
  return probed;
}
