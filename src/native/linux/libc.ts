/**
 * libc bindings for the epoll backend: koffi prototypes only, under their C names so the man
 * pages apply. Buffers on the hot path are passed as plain addresses (`uintptr_t`, a JS number)
 * into the native arena; only cold-path calls take Node Buffers.
 * Each thread that uses them calls loadLibc() itself (koffi functions are per-isolate).
 */
import koffi from 'koffi';
import { constants } from 'node:os';
import { SysError } from '../../errors.js';

export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCK_STREAM = 1;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
export const SOL_SOCKET = 1;
export const SO_REUSEADDR = 2;
export const SO_ERROR = 4;
export const SO_LINGER = 13;
export const SO_SNDBUF = 7;
export const IPPROTO_IP = 0;
/** Linux 4.2: bind() an address without reserving a port; connect() picks it per 4-tuple. */
export const IP_BIND_ADDRESS_NO_PORT = 24;
export const IPPROTO_TCP = 6;
export const TCP_NODELAY = 1;
export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;
export const MSG_DONTWAIT = 0x40;
export const MSG_NOSIGNAL = 0x4000;
export const EPOLL_CLOEXEC = 0o2000000;
export const EPOLL_CTL_ADD = 1;
export const EPOLL_CTL_DEL = 2;
export const EPOLL_CTL_MOD = 3;
export const EPOLLIN = 0x001;
export const EPOLLOUT = 0x004;
export const EPOLLERR = 0x008;
export const EPOLLHUP = 0x010;
export const EPOLLRDHUP = 0x2000;
export const EPOLLONESHOT = 1 << 30;
export const EPOLLET = 1 << 31;
export const EFD_CLOEXEC = 0o2000000;
export const EFD_NONBLOCK = 0o4000;
export const CLOCK_MONOTONIC = 1;
export const TFD_CLOEXEC = 0o2000000;
export const TFD_NONBLOCK = 0o4000;
/** struct itimerspec on x86-64: it_interval then it_value, each { i64 tv_sec, i64 tv_nsec }. */
export const ITIMERSPEC_SIZE = 32;
export const F_DUPFD_CLOEXEC = 1030;
export const RLIMIT_NOFILE = 7;
export const SOMAXCONN = 4096;
/** struct epoll_event is packed on x86-64: u32 events @0, u64 data @4. */
export const EPOLL_EVENT_SIZE = 12;

let cached: ReturnType<typeof bind> | null = null;

/** The bound functions, loaded once per thread. */
export function loadLibc() {
  cached ??= bind();
  return cached;
}

function bind() {
  const lib = koffi.load('libc.so.6');
  const rlimit = koffi.struct('rlimit', { rlim_cur: 'uint64_t', rlim_max: 'uint64_t' });
  return {
    epoll_create1: lib.func('int epoll_create1(int flags)'),
    epoll_ctl: lib.func('int epoll_ctl(int epfd, int op, int fd, uintptr_t event)'),
    epoll_wait: lib.func('int epoll_wait(int epfd, uintptr_t events, int maxevents, int timeout)'),
    eventfd: lib.func('int eventfd(unsigned int initval, int flags)'),
    timerfd_create: lib.func('int timerfd_create(int clockid, int flags)'),
    timerfd_settime: lib.func('int timerfd_settime(int fd, int flags, uintptr_t new_value, uintptr_t old_value)'),
    socket: lib.func('int socket(int domain, int type, int protocol)'),
    bind: lib.func('int bind(int sockfd, const void *addr, uint32_t addrlen)'),
    listen: lib.func('int listen(int sockfd, int backlog)'),
    getsockname: lib.func('int getsockname(int sockfd, void *addr, _Inout_ uint32_t *addrlen)'),
    accept4: lib.func('int accept4(int sockfd, uintptr_t addr, uintptr_t addrlen, int flags)'),
    // ssize_t read back as int: lengths here stay far below 2 GiB, and a 32-bit result is the
    // cheapest value koffi hands to JavaScript (these two run on every echo).
    recv: lib.func('int recv(int sockfd, uintptr_t buf, size_t len, int flags)'),
    send: lib.func('int send(int sockfd, uintptr_t buf, size_t len, int flags)'),
    read: lib.func('intptr_t read(int fd, uintptr_t buf, size_t count)'),
    memcpy: lib.func('uintptr_t memcpy(uintptr_t dest, uintptr_t src, size_t n)'),
    write: lib.func('intptr_t write(int fd, uintptr_t buf, size_t count)'),
    shutdown: lib.func('int shutdown(int sockfd, int how)'),
    close: lib.func('int close(int fd)'),
    dup2: lib.func('int dup2(int oldfd, int newfd)'),
    fcntl: lib.func('int fcntl(int fd, int cmd, int arg)'),
    setsockopt: lib.func(
      'int setsockopt(int sockfd, int level, int optname, uintptr_t optval, uint32_t optlen)',
    ),
    connect: lib.func('int connect(int sockfd, uintptr_t addr, uint32_t addrlen)'),
    socketpair: lib.func('int socketpair(int domain, int type, int protocol, _Out_ int *sv)'),
    getsockopt: lib.func(
      'int getsockopt(int sockfd, int level, int optname, uintptr_t optval, uintptr_t optlen)',
    ),
    getrlimit: lib.func('getrlimit', 'int', ['int', koffi.out(koffi.pointer(rlimit))]),
    setrlimit: lib.func('setrlimit', 'int', ['int', koffi.pointer(rlimit)]),
  };
}

export type Libc = ReturnType<typeof bind>;

export function errno(): number {
  return koffi.errno();
}

const errnoNames = new Map<number, string>(
  Object.entries(constants.errno).map(([name, n]) => [n as number, name]),
);

export function errnoName(n: number): string {
  return errnoNames.get(n) ?? `errno ${n}`;
}

/** Turn a -1 return into a SysError carrying the portable code and the raw errno. */
export function check(syscall: string, result: number, detail?: string): number {
  if (result >= 0) return result;
  const e = koffi.errno();
  throw new SysError(syscall, errnoName(e), e, detail);
}

