// The koffi floor: the C reference server's own design, written in JavaScript over koffi.
//
//   node bench/lib/koffi-floor.mjs --port P [--threads 2]      (P = 0: any free port)
//
// Prints {"event":"listening","port":P} once every listener is bound.
//
// Two worker threads, each with its own SO_REUSEPORT listener and its own level-triggered epoll
// set; a readable socket is read into the thread's 64 KiB buffer and echoed at once from there
// (at most 4 reads per event, as the C server does); a short send parks the rest in native memory
// and waits for EPOLLOUT. There are no sessions, no reference counts, no locks and no completion
// contract: per message it makes the same three system calls as the C server (epoll_wait, recv,
// send) and nothing else. What separates it from the C server is the price of calling the kernel
// from JavaScript on this machine; what separates our epoll backend from it is the price of the
// completion contract (shared port, refcounted sessions, per-session state).
//
// A measuring instrument for `npm run bench` only: it is not a server to use, it never frees a
// connection's memory until the connection closes, and it stops on SIGTERM without draining.
import { Worker, isMainThread, workerData } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import koffi from 'koffi';
import { listenOn, scratch, socketCalls } from './koffi-sockets.mjs';

const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const IPPROTO_TCP = 6;
const TCP_NODELAY = 1;
const EPOLL_CTL_ADD = 1;
const EPOLL_CTL_MOD = 3;
const EPOLLIN = 0x1;
const EPOLLOUT = 0x4;
const EPOLLERR = 0x8;
const EPOLLHUP = 0x10;
const MSG_NOSIGNAL = 0x4000;
const EINTR = 4;
const EAGAIN = 11;
const EVENT_SIZE = 12; // struct epoll_event is packed on x86-64
const MAX_EVENTS = 256;
const RBUF_SIZE = 64 * 1024;
const LISTENER = 0xffffffff; // the listener's epoll data word: no descriptor has this value

function libc() {
  const lib = koffi.load('libc.so.6');
  return {
    ...socketCalls(lib),
    epoll_create1: lib.func('int epoll_create1(int flags)'),
    epoll_ctl: lib.func('int epoll_ctl(int epfd, int op, int fd, uintptr_t event)'),
    epoll_wait: lib.func('int epoll_wait(int epfd, uintptr_t events, int maxevents, int timeout)'),
    accept4: lib.func('int accept4(int sockfd, uintptr_t addr, uintptr_t addrlen, int flags)'),
    memcpy: lib.func('uintptr_t memcpy(uintptr_t dest, uintptr_t src, size_t n)'),
  };
}

function serve(listenFd) {
  const c = libc();
  const ep = c.epoll_create1(0);
  const ev = scratch(c, MAX_EVENTS * EVENT_SIZE + EVENT_SIZE + 8);
  const ctlAt = MAX_EVENTS * EVENT_SIZE;
  const optAt = ctlAt + EVENT_SIZE;
  const rbuf = c.malloc(RBUF_SIZE);
  /** fd -> the tail of an echo the socket did not take: { addr, off, len } in native memory. */
  const pending = new Map();
  const arm = (op, fd, events, data = fd) => {
    ev.view.setUint32(ctlAt, events, true);
    ev.view.setUint32(ctlAt + 4, data, true);
    ev.view.setUint32(ctlAt + 8, 0, true);
    return c.epoll_ctl(ep, op, fd, ev.address + ctlAt);
  };
  const closeConn = (fd) => {
    const p = pending.get(fd);
    if (p) {
      c.free(p.addr);
      pending.delete(fd);
    }
    c.close(fd);
  };
  /** 1 flushed, 0 still waiting for EPOLLOUT, -1 failed. */
  const flush = (fd, p) => {
    while (p.len > 0) {
      const n = c.send(fd, p.addr + p.off, p.len, MSG_NOSIGNAL);
      if (n > 0) {
        p.off += n;
        p.len -= n;
        continue;
      }
      const e = koffi.errno();
      if (n < 0 && e === EINTR) continue;
      return n < 0 && e === EAGAIN ? 0 : -1;
    }
    c.free(p.addr);
    pending.delete(fd);
    return 1;
  };
  /** Echo what is readable. Returns 0 (want EPOLLIN), 1 (want EPOLLOUT) or -1 (closed). */
  const service = (fd, events) => {
    const p = pending.get(fd);
    if (p) {
      const r = flush(fd, p);
      if (r <= 0) return r === 0 ? 1 : -1;
      if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR))) return 0;
    }
    for (let round = 0; round < 4; round++) {
      const n = c.recv(fd, rbuf, RBUF_SIZE, 0);
      if (n === 0) return -1;
      if (n < 0) {
        const e = koffi.errno();
        if (e === EINTR) continue;
        return e === EAGAIN ? 0 : -1;
      }
      let off = 0;
      while (off < n) {
        const s = c.send(fd, rbuf + off, n - off, MSG_NOSIGNAL);
        if (s > 0) {
          off += s;
          continue;
        }
        const e = koffi.errno();
        if (s < 0 && e === EINTR) continue;
        if (s < 0 && e === EAGAIN) {
          const addr = c.malloc(n - off);
          if (!addr) return -1;
          c.memcpy(addr, rbuf + off, n - off);
          pending.set(fd, { addr, off: 0, len: n - off });
          return 1;
        }
        return -1;
      }
      if (n < RBUF_SIZE) return 0;
    }
    return 0;
  };

  arm(EPOLL_CTL_ADD, listenFd, EPOLLIN, LISTENER);
  ev.view.setInt32(optAt, 1, true);
  for (;;) {
    const n = c.epoll_wait(ep, ev.address, MAX_EVENTS, 200);
    for (let k = 0; k < n; k++) {
      const events = ev.view.getUint32(k * EVENT_SIZE, true);
      const fd = ev.view.getUint32(k * EVENT_SIZE + 4, true);
      if (fd === LISTENER) {
        for (;;) {
          const cfd = c.accept4(listenFd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (cfd < 0) break;
          c.setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, ev.address + optAt, 4);
          if (arm(EPOLL_CTL_ADD, cfd, EPOLLIN) !== 0) c.close(cfd);
        }
        continue;
      }
      const wasOut = pending.has(fd);
      const r = service(fd, events);
      if (r < 0) closeConn(fd);
      else if ((r === 1) !== wasOut && arm(EPOLL_CTL_MOD, fd, r === 1 ? EPOLLOUT : EPOLLIN) !== 0) closeConn(fd);
    }
  }
}

if (isMainThread) {
  let values = {};
  try {
    ({ values } = parseArgs({ options: { port: { type: 'string' }, threads: { type: 'string', default: '2' } } }));
  } catch {
    values = {};
  }
  const port = values.port === undefined ? NaN : Number(values.port);
  const threads = Number(values.threads);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !Number.isInteger(threads) || threads < 1 || threads > 64) {
    console.error('usage: node bench/lib/koffi-floor.mjs --port P [--threads N]');
    process.exit(2);
  }
  // Every listener is bound before any worker starts: the port answers only when all are up.
  const c = libc();
  const fds = [];
  let bound = port;
  try {
    for (let i = 0; i < threads; i++) {
      const l = listenOn(c, bound, SOCK_NONBLOCK | SOCK_CLOEXEC);
      fds.push(l.fd);
      bound = l.port;
    }
  } catch (e) {
    console.error(`koffi-floor: ${e.message}`);
    process.exit(1);
  }
  for (const fd of fds) new Worker(new URL(import.meta.url), { workerData: { fd } });
  console.log(JSON.stringify({ event: 'listening', port: bound }));
} else {
  serve(workerData.fd);
}
