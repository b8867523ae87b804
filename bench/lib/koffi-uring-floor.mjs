// The io_uring floor: the C io_uring reference server's design (c-uring), written in JavaScript over koffi.
//
//   node bench/lib/koffi-uring-floor.mjs --port P [--threads 2] [--stats]   (P = 0: any free port)
//   node bench/lib/koffi-uring-floor.mjs --probe                            (exit 0 usable, 3 not)
//
// Prints {"event":"listening","port":P} once every listener is bound. Exits 3 with one line on
// stderr, before it binds anything, where io_uring cannot do what this design needs (setup, a
// provided-buffer ring, multishot accept, multishot receive and a send, tried on a loopback
// connection); 2 on a usage error, 1 on any other failure.
//
// Two worker threads, each with its own SO_REUSEPORT listener and its own io_uring (set up, its
// rings mapped and its entries written from JavaScript; raw system calls, no liburing), holding:
//   - one multishot accept on the thread's listener;
//   - one multishot receive per connection, into a provided-buffer ring (IORING_REGISTER_PBUF_RING)
//     of NBUFS buffers of BUF_SIZE bytes: the kernel picks a buffer per receive, so an idle
//     connection holds none;
//   - the echo: a send through the same ring straight from the buffer the bytes arrived in, one
//     send in flight per connection, later buffers queued behind it (bytes leave in the order they
//     came), the buffer handed back to the ring when its send is done, a short send continued.
// Each turn of the loop makes one io_uring_enter that submits everything queued and waits for at
// least one completion. Steady state per echo: no system call of its own, two completions (the
// receive, the send) read and one send entry written in JavaScript. What separates it from c-uring
// is the price of driving the rings from JavaScript; what separates our epoll backend from it is
// the design (per-operation readiness and plain recv/send calls) and the completion contract.
//
// A measuring instrument for `npm run bench` only: it is not a server to use. It binds 127.0.0.1
// only, never frees its rings or buffers, and stops on SIGTERM without draining (with --stats it
// first prints one JSON line of per-thread counters: completions, re-armed receives, ENOBUFS,
// short and queued sends, CQ overflow, time in JavaScript and in io_uring_enter).
import { Worker, isMainThread, workerData } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import koffi from 'koffi';
import { listenOn, scratch, socketCalls } from './koffi-sockets.mjs';

const AF_INET = 2;
const SOCK_STREAM = 1;
const SOCK_CLOEXEC = 0o2000000;
const IPPROTO_TCP = 6;
const TCP_NODELAY = 1;
const SHUT_RDWR = 2;
const MSG_NOSIGNAL = 0x4000;
const EINTR = 4;
const EAGAIN = 11;
const EBUSY = 16;
const ENOBUFS = 105;

const SYS_io_uring_setup = 425;
const SYS_io_uring_enter = 426;
const SYS_io_uring_register = 427;
const IORING_SETUP_CQSIZE = 1 << 3;
const IORING_SETUP_SUBMIT_ALL = 1 << 7;
const IORING_SETUP_COOP_TASKRUN = 1 << 8;
const IORING_SETUP_SINGLE_ISSUER = 1 << 12;
const IORING_SETUP_DEFER_TASKRUN = 1 << 13;
const IORING_FEAT_SINGLE_MMAP = 1 << 0;
const IORING_OFF_SQ_RING = 0;
const IORING_OFF_SQES = 0x10000000;
const IORING_ENTER_GETEVENTS = 1;
const IORING_REGISTER_PBUF_RING = 22;
const IORING_OP_ACCEPT = 13;
const IORING_OP_SEND = 26;
const IORING_OP_RECV = 27;
const IOSQE_BUFFER_SELECT = 1 << 5;
const IORING_ACCEPT_MULTISHOT = 1 << 0; // in sqe->ioprio
const IORING_RECV_MULTISHOT = 1 << 1; // in sqe->ioprio
const IORING_CQE_F_BUFFER = 1 << 0;
const IORING_CQE_F_MORE = 1 << 1;
const PROT_READ_WRITE = 0x3;
const MAP_SHARED_POPULATE = 0x01 | 0x8000;
const MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
const PARAMS_BYTES = 120; // struct io_uring_params
const SQE_WORDS = 16; // 64-byte submission entries, as 32-bit words
const CQE_WORDS = 4; // 16-byte completion entries

const RING_ENTRIES = 4096; // submission entries per thread (completion queue: CQ_ENTRIES)
const CQ_ENTRIES = 16384; // room for a receive and a send completion of every connection of the biggest cell
// 4096 buffers of 4 KiB per thread (16 MiB): a 4096-byte message fits one buffer, and in the
// closed-loop echo cells a connection holds at most a buffer or two at a time, so even every
// connection of the 1000-connection cells landing on one thread leaves the ring far from empty.
// Larger buffers would only matter to a client that lets bytes pile up in the socket.
const NBUFS = 4096; // a power of two, at most 32768
const BUF_SIZE = 4096;
const BGID = 1;
const MAX_FDS = 65536;
const OP_ACCEPT = 1;
const OP_RECV = 2;
const OP_SEND = 3;
// Per-connection state bits.
const SENDING = 1; // a send of this connection is in the ring
const RECV_LIVE = 2; // its receive is armed (or waiting, ENOBUFS, for buffers to come back)
const DEAD = 4; // a send or receive failed: echo no more, close once the ring lets go of it
const STARVED = 8; // its receive ended with ENOBUFS and is re-armed once buffers are back

// --stats counters, per thread (Float64 slots of a SharedArrayBuffer).
const STAT_NAMES = [
  'enters', 'cqes', 'maxBatch', 'accepts', 'closes', 'recvs', 'recvBytes', 'recvRearms', 'enobufs',
  'sends', 'shortSends', 'queuedBehind', 'sqFull', 'cqOverflow', 'jsMs', 'enterMs',
];
const NSTATS = STAT_NAMES.length;

function libc() {
  const lib = koffi.load('libc.so.6');
  return {
    ...socketCalls(lib),
    connect: lib.func('int connect(int sockfd, uintptr_t addr, uint32_t addrlen)'),
    shutdown: lib.func('int shutdown(int sockfd, int how)'),
    // MAP_FAILED, (void *)-1, does not fit a double and comes back as a BigInt.
    mmap: lib.func('uintptr_t mmap(uintptr_t addr, size_t length, int prot, int flags, int fd, int64_t offset)'),
    munmap: lib.func('int munmap(uintptr_t addr, size_t length)'),
    // syscall() with each io_uring call's arguments spelled out (a variadic koffi call parses its
    // argument types on every call); glibc's syscall() only moves registers.
    uringSetup: lib.func('long syscall(long number, uint32_t entries, uintptr_t params)'),
    uringEnter: lib.func('long syscall(long number, int fd, uint32_t to_submit, uint32_t min_complete, uint32_t flags, uintptr_t sig, size_t sigsz)'),
    uringRegister: lib.func('long syscall(long number, int fd, uint32_t opcode, uintptr_t arg, uint32_t nr_args)'),
  };
}

/** An io_uring set up and mapped, with a provided-buffer ring registered. Throws with the step that failed. */
function openRing(c) {
  const ps = scratch(c, PARAMS_BYTES);
  const p = ps.view;
  let fd = -1;
  let setupFlags = 0;
  // DEFER_TASKRUN (completions are posted only inside our own io_uring_enter) as c-uring asks
  // for, falling back on kernels or seccomp profiles that refuse it.
  const tries = [
    IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SUBMIT_ALL,
    IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SUBMIT_ALL,
    0,
  ];
  for (const flags of tries) {
    for (let i = 0; i < PARAMS_BYTES; i += 4) p.setUint32(i, 0, true);
    p.setUint32(8, flags | IORING_SETUP_CQSIZE, true);
    p.setUint32(4, CQ_ENTRIES, true);
    fd = Number(c.uringSetup(SYS_io_uring_setup, RING_ENTRIES, ps.address));
    if (fd >= 0) {
      setupFlags = flags;
      break;
    }
  }
  if (fd < 0) throw new Error(`io_uring_setup: errno ${koffi.errno()}`);
  if ((p.getUint32(20, true) & IORING_FEAT_SINGLE_MMAP) === 0) throw new Error('io_uring without IORING_FEAT_SINGLE_MMAP');
  const sqEntries = p.getUint32(0, true);
  const cqEntries = p.getUint32(4, true);
  const ringBytes = Math.max(p.getUint32(64, true) + sqEntries * 4, p.getUint32(100, true) + cqEntries * CQE_WORDS * 4);
  const ringAddr = c.mmap(0, ringBytes, PROT_READ_WRITE, MAP_SHARED_POPULATE, fd, IORING_OFF_SQ_RING);
  const sqesAddr = c.mmap(0, sqEntries * SQE_WORDS * 4, PROT_READ_WRITE, MAP_SHARED_POPULATE, fd, IORING_OFF_SQES);
  if (typeof ringAddr !== 'number' || typeof sqesAddr !== 'number') throw new Error(`mmap of the rings: errno ${koffi.errno()}`);
  const ring = koffi.view(BigInt(ringAddr), ringBytes);
  const array = new Uint32Array(ring, p.getUint32(64, true), sqEntries);
  for (let i = 0; i < sqEntries; i++) array[i] = i; // the queue's slot i is always SQE i
  const r = {
    fd,
    setupFlags,
    sqEntries,
    sqHead: new Uint32Array(ring, p.getUint32(40, true), 1),
    sqTailPtr: new Uint32Array(ring, p.getUint32(44, true), 1),
    sqMask: new Uint32Array(ring, p.getUint32(48, true), 1)[0],
    cqHead: new Uint32Array(ring, p.getUint32(80, true), 1),
    cqTail: new Uint32Array(ring, p.getUint32(84, true), 1),
    cqMask: new Uint32Array(ring, p.getUint32(88, true), 1)[0],
    cqOverflow: new Uint32Array(ring, p.getUint32(96, true), 1),
    cqes: new Int32Array(ring, p.getUint32(100, true), cqEntries * CQE_WORDS),
    sqe: new Uint32Array(koffi.view(BigInt(sqesAddr), sqEntries * SQE_WORDS * 4)),
  };
  c.free(ps.address);

  // The provided-buffer ring: NBUFS 16-byte entries { u64 addr; u32 len; u16 bid; u16 resv },
  // page-aligned (mmap), whose tail is the resv field of entry 0; and the buffers themselves.
  const brBytes = NBUFS * 16;
  const brAddr = c.mmap(0, brBytes, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0);
  if (typeof brAddr !== 'number') throw new Error(`mmap of the buffer ring: errno ${koffi.errno()}`);
  const reg = scratch(c, 40); // struct io_uring_buf_reg
  for (let i = 0; i < 40; i += 4) reg.view.setUint32(i, 0, true);
  reg.view.setUint32(0, brAddr % 0x100000000, true);
  reg.view.setUint32(4, Math.floor(brAddr / 0x100000000), true);
  reg.view.setUint32(8, NBUFS, true);
  reg.view.setUint16(12, BGID, true);
  const rr = Number(c.uringRegister(SYS_io_uring_register, fd, IORING_REGISTER_PBUF_RING, reg.address, 1));
  c.free(reg.address);
  if (rr < 0) throw new Error(`IORING_REGISTER_PBUF_RING: errno ${koffi.errno()}`);
  const br = koffi.view(BigInt(brAddr), brBytes);
  r.brU32 = new Uint32Array(br);
  r.brU16 = new Uint16Array(br);
  r.bufs = c.malloc(NBUFS * BUF_SIZE);
  if (!r.bufs) throw new Error('malloc of the buffers failed');
  return r;
}

/**
 * The ring's submission side: `prep` writes one entry, `giveBack` puts a buffer back in the
 * provided-buffer ring, `enter` publishes both tails and makes one io_uring_enter.
 */
function driver(c, r) {
  const { fd: ringFd, sqEntries, sqHead, sqTailPtr, sqMask, brU32, brU16, bufs } = r;
  let sqTail = sqTailPtr[0];
  let brTail = 0;
  const brMask = NBUFS - 1;
  const d = { held: NBUFS, sqFull: 0 }; // buffers out of the ring (ours); entries flushed early
  d.enter = (minComplete, flags) => {
    Atomics.store(brU16, 7, brTail); // buffers handed back are visible before the kernel looks
    Atomics.store(sqTailPtr, 0, sqTail);
    const toSubmit = (sqTail - Atomics.load(sqHead, 0)) >>> 0;
    const n = Number(c.uringEnter(SYS_io_uring_enter, ringFd, toSubmit, minComplete, flags, 0, 0));
    if (n >= 0) return n;
    const e = koffi.errno();
    if (e === EINTR || e === EAGAIN || e === EBUSY) return 0;
    throw new Error(`io_uring_enter: errno ${e}`);
  };
  /** A submission entry, every field written (the opcode word carries flags and ioprio). */
  d.prep = (op, sqeFlags, ioprio, fd, addr, len, opFlags, bufGroup, udLo, udHi) => {
    if (((sqTail - Atomics.load(sqHead, 0)) >>> 0) >= sqEntries) {
      d.sqFull++;
      d.enter(0, 0);
    }
    const w = (sqTail & sqMask) * SQE_WORDS;
    sqTail = (sqTail + 1) >>> 0;
    sqe[w] = op | (sqeFlags << 8) | (ioprio << 16);
    sqe[w + 1] = fd;
    sqe[w + 2] = 0; // off
    sqe[w + 3] = 0;
    sqe[w + 4] = addr % 0x100000000;
    sqe[w + 5] = Math.floor(addr / 0x100000000);
    sqe[w + 6] = len;
    sqe[w + 7] = opFlags;
    sqe[w + 8] = udLo; // user_data: the descriptor ...
    sqe[w + 9] = udHi; // ... and (op << 16) | buffer id
    sqe[w + 10] = bufGroup; // buf_group, personality 0
    for (let k = 11; k < SQE_WORDS; k++) sqe[w + k] = 0;
  };
  const sqe = r.sqe;
  d.giveBack = (bid) => {
    const i = (brTail & brMask) * 4;
    const addr = bufs + bid * BUF_SIZE;
    brU32[i] = addr % 0x100000000;
    brU32[i + 1] = Math.floor(addr / 0x100000000);
    brU32[i + 2] = BUF_SIZE;
    brU16[i * 2 + 6] = bid; // never entry 0's resv (index 7): that is the tail
    brTail = (brTail + 1) & 0xffff;
    d.held--;
  };
  for (let b = 0; b < NBUFS; b++) d.giveBack(b);
  return d;
}

/** One worker thread: its own ring over its own listener, forever. */
function serve(listenFd, statsBuf, index) {
  const c = libc();
  const r = openRing(c);
  const { cqHead, cqTail, cqMask, cqOverflow, cqes, bufs } = r;
  const d = driver(c, r);
  const { enter, prep, giveBack } = d;
  const stats = statsBuf ? new Float64Array(statsBuf, index * NSTATS * 8, NSTATS) : null;
  const armAccept = () => prep(IORING_OP_ACCEPT, 0, IORING_ACCEPT_MULTISHOT, listenFd, 0, 0, SOCK_CLOEXEC, 0, listenFd, OP_ACCEPT << 16);
  const armRecv = (fd) => prep(IORING_OP_RECV, IOSQE_BUFFER_SELECT, IORING_RECV_MULTISHOT, fd, 0, 0, 0, BGID, fd, OP_RECV << 16);

  // Per connection (by descriptor): state bits and a queue of received buffers (head/tail buffer
  // ids, linked through next[]); per buffer: the bytes it holds and how many of them are sent.
  const state = new Uint8Array(MAX_FDS);
  const qHead = new Int32Array(MAX_FDS).fill(-1);
  const qTail = new Int32Array(MAX_FDS).fill(-1);
  const bLen = new Int32Array(NBUFS);
  const bOff = new Int32Array(NBUFS);
  const bNext = new Int32Array(NBUFS);
  const starved = [];
  const opt = scratch(c, 4);
  opt.view.setInt32(0, 1, true);

  const sendHead = (fd) => {
    const bid = qHead[fd];
    const off = bOff[bid];
    prep(IORING_OP_SEND, 0, 0, fd, bufs + bid * BUF_SIZE + off, bLen[bid] - off, MSG_NOSIGNAL, 0, fd, (OP_SEND << 16) | bid);
    state[fd] |= SENDING;
  };
  const closeConn = (fd) => {
    for (let b = qHead[fd]; b >= 0; b = bNext[b]) giveBack(b);
    qHead[fd] = -1;
    qTail[fd] = -1;
    state[fd] = 0;
    c.close(fd);
    nCloses++;
  };
  // A descriptor is closed only when no request of the ring refers to it any more: a receive
  // still armed on a closed-and-reused number would hand its bytes to the wrong connection.
  const maybeClose = (fd) => {
    const s = state[fd];
    if (s & (SENDING | RECV_LIVE)) return;
    if (qHead[fd] >= 0 && !(s & DEAD)) sendHead(fd); // end of stream: echo what is left first
    else closeConn(fd);
  };
  const fail = (fd) => {
    state[fd] |= DEAD;
    c.shutdown(fd, SHUT_RDWR);
  };

  let nCloses = 0;
  let nEnters = 0, nCqes = 0, maxBatch = 0, nAccepts = 0, nRecvs = 0, recvBytes = 0;
  let nRearms = 0, nEnobufs = 0, nSends = 0, nShort = 0, nQueued = 0, jsMs = 0, enterMs = 0;
  let t0 = stats ? performance.now() : 0;

  armAccept();
  for (;;) {
    if (stats) {
      const t1 = performance.now();
      jsMs += t1 - t0;
      enter(1, IORING_ENTER_GETEVENTS);
      t0 = performance.now();
      enterMs += t0 - t1;
    } else {
      enter(1, IORING_ENTER_GETEVENTS);
    }
    nEnters++;
    let head = cqHead[0];
    const tail = Atomics.load(cqTail, 0);
    const batch = (tail - head) >>> 0;
    if (batch > maxBatch) maxBatch = batch;
    nCqes += batch;
    while (head !== tail) {
      const w = (head & cqMask) * CQE_WORDS;
      head = (head + 1) >>> 0;
      const fd = cqes[w];
      const hi = cqes[w + 1];
      const res = cqes[w + 2];
      const flags = cqes[w + 3];
      const op = hi >>> 16;
      if (op === OP_RECV) {
        const more = flags & IORING_CQE_F_MORE;
        if (res > 0) {
          nRecvs++;
          recvBytes += res;
          d.held++;
          const bid = flags >>> 16;
          bLen[bid] = res;
          bOff[bid] = 0;
          bNext[bid] = -1;
          if (qTail[fd] >= 0) bNext[qTail[fd]] = bid;
          else qHead[fd] = bid;
          qTail[fd] = bid;
          const s = state[fd];
          if (s & SENDING) nQueued++;
          else if (!(s & DEAD)) sendHead(fd);
          if (!more) {
            if (s & DEAD) {
              state[fd] &= ~RECV_LIVE;
              maybeClose(fd);
            } else {
              nRearms++;
              armRecv(fd);
            }
          }
        } else if (res === -ENOBUFS && !(state[fd] & DEAD)) {
          // Every buffer is out: re-armed after this batch once some have come back.
          nEnobufs++;
          if (!(state[fd] & STARVED)) {
            state[fd] |= STARVED;
            starved.push(fd);
          }
        } else if (!more) {
          state[fd] &= ~RECV_LIVE; // end of stream (0) or an error: the receive is over
          if (res < 0) fail(fd);
          maybeClose(fd);
        }
      } else if (op === OP_SEND) {
        nSends++;
        const bid = hi & 0xffff;
        state[fd] &= ~SENDING;
        if (res <= 0) {
          fail(fd);
          maybeClose(fd);
          continue;
        }
        bOff[bid] += res;
        if (bOff[bid] < bLen[bid]) {
          nShort++;
          sendHead(fd);
          continue;
        }
        const next = bNext[bid];
        qHead[fd] = next;
        if (next < 0) qTail[fd] = -1;
        giveBack(bid);
        if (next >= 0 && !(state[fd] & DEAD)) sendHead(fd);
        else maybeClose(fd);
      } else if (op === OP_ACCEPT) {
        if (res >= 0) {
          if (res >= MAX_FDS) {
            c.close(res);
          } else {
            nAccepts++;
            c.setsockopt(res, IPPROTO_TCP, TCP_NODELAY, opt.address, 4);
            state[res] = RECV_LIVE;
            qHead[res] = -1;
            qTail[res] = -1;
            armRecv(res);
          }
        }
        if (!(flags & IORING_CQE_F_MORE)) armAccept();
      }
    }
    Atomics.store(cqHead, 0, head);
    // Receives that found no buffer: re-armed once sends have handed back one buffer per starved
    // receive or an eighth of the ring (at once, or on one buffer each, they mostly fail again).
    if (starved.length > 0 && NBUFS - d.held >= Math.min(starved.length, NBUFS / 8)) {
      for (const fd of starved.splice(0)) {
        state[fd] &= ~STARVED;
        if (state[fd] & DEAD) {
          state[fd] &= ~RECV_LIVE;
          maybeClose(fd);
        } else {
          armRecv(fd);
        }
      }
    }
    if (stats) {
      stats[0] = nEnters; stats[1] = nCqes; stats[2] = maxBatch; stats[3] = nAccepts; stats[4] = nCloses;
      stats[5] = nRecvs; stats[6] = recvBytes; stats[7] = nRearms; stats[8] = nEnobufs; stats[9] = nSends;
      stats[10] = nShort; stats[11] = nQueued; stats[12] = d.sqFull; stats[13] = cqOverflow[0];
      stats[14] = jsMs; stats[15] = enterMs;
    }
  }
}

/**
 * Whether this kernel does what the design needs, tried on one loopback connection: a ring with a
 * provided-buffer ring, a multishot accept, a multishot receive into a provided buffer, and a send
 * of that buffer back. Returns null, or what failed; `probed.setup` names the set-up flags it got.
 */
const probed = { setup: '' };
function probe() {
  const c = libc();
  const fds = [];
  try {
    const r = openRing(c);
    fds.push(r.fd);
    probed.setup = r.setupFlags & IORING_SETUP_DEFER_TASKRUN ? 'SINGLE_ISSUER|DEFER_TASKRUN' : r.setupFlags ? 'COOP_TASKRUN' : 'plain';
    const d = driver(c, r);
    const l = listenOn(c, 0, SOCK_CLOEXEC /* blocking: the ring waits, not the socket */);
    fds.push(l.fd);
    /** The next completion, or null after about two seconds. */
    const next = () => {
      for (let i = 0; i < 2000; i++) {
        d.enter(0, IORING_ENTER_GETEVENTS);
        const head = r.cqHead[0];
        if (head !== Atomics.load(r.cqTail, 0)) {
          const w = (head & r.cqMask) * CQE_WORDS;
          Atomics.store(r.cqHead, 0, (head + 1) >>> 0);
          return { op: r.cqes[w + 1] >>> 16, res: r.cqes[w + 2], flags: r.cqes[w + 3] };
        }
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      }
      return null;
    };
    d.prep(IORING_OP_ACCEPT, 0, IORING_ACCEPT_MULTISHOT, l.fd, 0, 0, SOCK_CLOEXEC, 0, l.fd, OP_ACCEPT << 16);
    d.enter(0, 0);
    const s = scratch(c, 32);
    const cfd = c.socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    fds.push(cfd);
    s.view.setUint16(0, AF_INET, true);
    s.view.setUint16(2, l.port, false);
    s.view.setUint32(4, 0x7f000001, false);
    if (c.connect(cfd, s.address, 16) !== 0) return `loopback connect: errno ${koffi.errno()}`;
    const a = next();
    if (!a || a.op !== OP_ACCEPT || a.res < 0) return `multishot accept: ${a ? `result ${a.res}` : 'no completion'}`;
    fds.push(a.res);
    if (!(a.flags & IORING_CQE_F_MORE)) return 'multishot accept: ended after one connection (no IORING_CQE_F_MORE)';
    d.prep(IORING_OP_RECV, IOSQE_BUFFER_SELECT, IORING_RECV_MULTISHOT, a.res, 0, 0, 0, BGID, a.res, OP_RECV << 16);
    d.enter(0, 0);
    s.view.setUint32(16, 0x676e6970, true); // "ping"
    if (c.send(cfd, s.address + 16, 4, MSG_NOSIGNAL) !== 4) return `loopback send: errno ${koffi.errno()}`;
    const v = next();
    if (!v || v.op !== OP_RECV || v.res !== 4) return `multishot receive: ${v ? `result ${v.res}` : 'no completion'}`;
    if (!(v.flags & IORING_CQE_F_BUFFER)) return 'multishot receive: no provided buffer (IORING_CQE_F_BUFFER)';
    if (!(v.flags & IORING_CQE_F_MORE)) return 'multishot receive: ended after one receive (no IORING_CQE_F_MORE)';
    const bid = v.flags >>> 16;
    d.prep(IORING_OP_SEND, 0, 0, a.res, r.bufs + bid * BUF_SIZE, 4, MSG_NOSIGNAL, 0, a.res, OP_SEND << 16);
    const e = next();
    if (!e || e.op !== OP_SEND || e.res !== 4) return `send from a provided buffer: ${e ? `result ${e.res}` : 'no completion'}`;
    s.view.setUint32(16, 0, true);
    if (c.recv(cfd, s.address + 16, 4, 0x40 /* MSG_DONTWAIT */) !== 4 || s.view.getUint32(16, true) !== 0x676e6970) return 'the echo did not come back';
    return null;
  } catch (e) {
    return e.message;
  } finally {
    for (const fd of fds.reverse()) c.close(fd); // the ring last: closing it cancels what it holds
  }
}

if (isMainThread) {
  let values = {};
  try {
    ({ values } = parseArgs({
      options: { port: { type: 'string' }, threads: { type: 'string', default: '2' }, stats: { type: 'boolean', default: false }, probe: { type: 'boolean', default: false } },
    }));
  } catch {
    values = {};
  }
  const port = values.probe ? 0 : values.port === undefined ? NaN : Number(values.port);
  const threads = Number(values.threads);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !Number.isInteger(threads) || threads < 1 || threads > 64) {
    console.error('usage: node bench/lib/koffi-uring-floor.mjs --port P [--threads N] [--stats] | --probe');
    process.exit(2);
  }
  const why = probe();
  if (why !== null) {
    console.error(`koffi-uring-floor: io_uring cannot run this design here: ${why}`);
    process.exit(3);
  }
  if (values.probe) process.exit(0);
  // Every listener is bound before any worker starts: the port answers only when all are up.
  const c = libc();
  const fds = [];
  let bound = port;
  try {
    for (let i = 0; i < threads; i++) {
      const l = listenOn(c, bound, SOCK_CLOEXEC /* blocking: the ring waits, not the socket */);
      fds.push(l.fd);
      bound = l.port;
    }
  } catch (e) {
    console.error(`koffi-uring-floor: ${e.message}`);
    process.exit(1);
  }
  const statsBuf = values.stats ? new SharedArrayBuffer(threads * NSTATS * 8) : null;
  fds.forEach((fd, index) => {
    const w = new Worker(new URL(import.meta.url), { workerData: { fd, statsBuf, index } });
    w.on('error', (e) => {
      console.error(`koffi-uring-floor: worker ${index}: ${e.message}`);
      process.exit(1);
    });
  });
  if (statsBuf) {
    process.on('SIGTERM', () => {
      const per = [];
      for (let i = 0; i < threads; i++) {
        const v = new Float64Array(statsBuf, i * NSTATS * 8, NSTATS);
        per.push(Object.fromEntries(STAT_NAMES.map((n, k) => [n, Math.round(v[k] * 10) / 10])));
      }
      console.log(JSON.stringify({ event: 'stats', setup: probed.setup, threads: per }));
      // Then stop as without --stats: the default action of the signal (the workers may be
      // waiting in io_uring_enter, which nothing else would interrupt).
      process.removeAllListeners('SIGTERM');
      process.kill(process.pid, 'SIGTERM');
    });
  }
  console.log(JSON.stringify({ event: 'listening', port: bound }));
} else {
  serve(workerData.fd, workerData.statsBuf, workerData.index);
}
