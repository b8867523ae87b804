/**
 * Main-thread half of the epoll backend: one epoll fd shared by every worker, the listening
 * socket (registered EPOLLONESHOT so one worker at a time accepts), two eventfds for control
 * packets, the native ring-buffer arena, and the workers' run tokens (runTokens.ts).
 */
import { availableParallelism } from 'node:os';
import { CONTROL_CLOSE_ALL, CONTROL_EXIT, OP_ACCEPT, OP_CONTROL, type BackendHost, type HostContext } from '../completion.js';
import { encodeSockaddr, sockaddrPort } from '../../native/sockaddr.js';
import {
  AF_INET,
  AF_INET6,
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  EPOLL_CLOEXEC,
  EPOLL_CTL_ADD,
  EPOLLIN,
  EPOLLONESHOT,
  IPPROTO_TCP,
  RLIMIT_NOFILE,
  SO_REUSEADDR,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  SOL_SOCKET,
  SOMAXCONN,
  TCP_NODELAY,
  check,
  loadLibc,
  type Libc,
} from '../../native/linux/libc.js';
import { allocArena, freeArena, viewMemory } from '../../native/memory.js';
import { writeEvent } from './dataWord.js';
import { RunTokens } from './runTokens.js';

export function createEpollHost(ctx: HostContext): BackendHost {
  const libc = loadLibc();
  const { options } = ctx;
  const fdLimit = raiseFdLimit(libc);
  const fds: number[] = [];
  const closeAll = () => fds.splice(0).reverse().forEach((fd) => libc.close(fd));
  try {
    const epfd = check('epoll_create1', libc.epoll_create1(EPOLL_CLOEXEC));
    fds.push(epfd);
    const addr = encodeSockaddr(options.host, options.port, { inet: AF_INET, inet6: AF_INET6 });
    const family = addr.length === 16 ? AF_INET : AF_INET6;
    const lfd = check('socket', libc.socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    fds.push(lfd);
    const scratch = allocArena(64);
    const dv = new DataView(viewMemory(scratch.address, 64));
    try {
      dv.setInt32(0, 1, true);
      check('setsockopt', libc.setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, scratch.address, 4));
      // Accepted sockets inherit it on Linux: no setsockopt per connection (port.ts checks).
      check('setsockopt', libc.setsockopt(lfd, IPPROTO_TCP, TCP_NODELAY, scratch.address, 4));
      check('bind', libc.bind(lfd, addr, addr.length), `to ${options.host}:${options.port}`);
      check('listen', libc.listen(lfd, SOMAXCONN));
      const out = Buffer.alloc(28);
      check('getsockname', libc.getsockname(lfd, out, [out.length]));
      const port = sockaddrPort(out);
      const closeAllFd = check('eventfd', libc.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
      fds.push(closeAllFd);
      const exitFd = check('eventfd', libc.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
      fds.push(exitFd);
      writeEvent(dv, 0, EPOLLIN | EPOLLONESHOT, OP_ACCEPT, 0, 0);
      check('epoll_ctl', libc.epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, scratch.address));
      // Close-all goes to one worker (one-shot); exit stays readable (level-triggered, never
      // read) so that every worker sees it on its next wait.
      writeEvent(dv, 0, EPOLLIN | EPOLLONESHOT, OP_CONTROL, CONTROL_CLOSE_ALL, 0);
      check('epoll_ctl', libc.epoll_ctl(epfd, EPOLL_CTL_ADD, closeAllFd, scratch.address));
      writeEvent(dv, 0, EPOLLIN, OP_CONTROL, CONTROL_EXIT, 0);
      check('epoll_ctl', libc.epoll_ctl(epfd, EPOLL_CTL_ADD, exitFd, scratch.address));
      const arena = allocArena(ctx.table.capacity * options.bufferSize);
      // Default: half the CPUs. This tool's server usually shares the machine with its flood
      // (or another load generator); on two cores, two running workers beside a two-thread
      // client made every echo dearer (more migrations and preemptions) than one did.
      const running = options.concurrency || Math.max(1, Math.floor(availableParallelism() / 2));
      const concurrency = Math.min(options.workers, running);
      const runTokens = RunTokens.create(concurrency);
      let disposed = false;
      return {
        name: 'epoll',
        address: { host: options.host, port },
        concurrency,
        native: {
          epfd, listenFd: lfd, closeAllFd, arena: arena.address, runTokens: runTokens.sab,
          // Linux hands out the lowest free descriptor: one accepted at or above this number
          // leaves fewer than fdReserve free below the limit.
          fdCeiling: Math.max(0, fdLimit - options.fdReserve),
          fdLimit,
        },
        postControl(code, count) {
          const fd = code === CONTROL_EXIT ? exitFd : closeAllFd;
          dv.setBigUint64(8, BigInt(count), true);
          libc.write(fd, scratch.address + 8, 8);
        },
        dispose(drained) {
          if (disposed) return;
          disposed = true;
          closeAll();
          // A worker terminated with receives in flight in its io_uring may still have the
          // kernel copy into the rings: leave them to the process's exit then.
          if (drained) freeArena(arena.ptr);
          freeArena(scratch.ptr);
        },
      };
    } catch (err) {
      freeArena(scratch.ptr);
      throw err;
    }
  } catch (err) {
    closeAll();
    throw err;
  }
}

/**
 * 10,000 sessions need 10,000+ descriptors: lift the soft limit to the hard one. Returns the
 * limit in force afterwards (2^31 - 1 when it cannot be read or is unlimited).
 */
function raiseFdLimit(libc: Libc): number {
  const lim: { rlim_cur?: number | bigint; rlim_max?: number | bigint } = {};
  if (libc.getrlimit(RLIMIT_NOFILE, lim) !== 0 || lim.rlim_cur === undefined || lim.rlim_max === undefined)
    return 2 ** 31 - 1;
  if (lim.rlim_cur < lim.rlim_max && libc.setrlimit(RLIMIT_NOFILE, { rlim_cur: lim.rlim_max, rlim_max: lim.rlim_max }) === 0)
    lim.rlim_cur = lim.rlim_max;
  return Math.min(Number(lim.rlim_cur), 2 ** 31 - 1);
}

