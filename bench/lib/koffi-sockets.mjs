// What the bench's two koffi floors (koffi-floor.mjs, koffi-uring-floor.mjs) share: the libc socket
// calls both make, native scratch memory, and a SO_REUSEPORT listener on 127.0.0.1. Bench
// instruments only, like the floors.
import koffi from 'koffi';

const AF_INET = 2;
const SOCK_STREAM = 1;
const SOL_SOCKET = 1;
const SO_REUSEADDR = 2;
const SO_REUSEPORT = 15;

/** The libc calls both floors make; each adds its own (epoll, io_uring) beside them. */
export function socketCalls(lib) {
  return {
    socket: lib.func('int socket(int domain, int type, int protocol)'),
    setsockopt: lib.func('int setsockopt(int sockfd, int level, int optname, uintptr_t optval, uint32_t optlen)'),
    bind: lib.func('int bind(int sockfd, uintptr_t addr, uint32_t addrlen)'),
    listen: lib.func('int listen(int sockfd, int backlog)'),
    getsockname: lib.func('int getsockname(int sockfd, uintptr_t addr, uintptr_t addrlen)'),
    recv: lib.func('int recv(int sockfd, uintptr_t buf, size_t len, int flags)'),
    send: lib.func('int send(int sockfd, uintptr_t buf, size_t len, int flags)'),
    close: lib.func('int close(int fd)'),
    malloc: lib.func('uintptr_t malloc(size_t size)'),
    free: lib.func('void free(uintptr_t ptr)'),
  };
}

/** Native scratch, and a DataView on it. */
export function scratch(c, bytes) {
  const address = c.malloc(bytes);
  if (!address) throw new Error('malloc failed');
  return { address, view: new DataView(koffi.view(BigInt(address), bytes)) };
}

/**
 * A listener on 127.0.0.1:port (0: any) with SO_REUSEPORT, so that each thread can have its own on
 * the same port; `typeFlags` are or-ed into SOCK_STREAM (SOCK_NONBLOCK, SOCK_CLOEXEC).
 */
export function listenOn(c, port, typeFlags) {
  const s = scratch(c, 32);
  const fd = c.socket(AF_INET, SOCK_STREAM | typeFlags, 0);
  if (fd < 0) throw new Error(`socket: errno ${koffi.errno()}`);
  s.view.setInt32(0, 1, true);
  c.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, s.address, 4);
  c.setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, s.address, 4);
  s.view.setUint16(8, AF_INET, true);
  s.view.setUint16(10, port, false);
  s.view.setUint32(12, 0x7f000001, false);
  if (c.bind(fd, s.address + 8, 16) !== 0) throw new Error(`bind 127.0.0.1:${port}: errno ${koffi.errno()}`);
  if (c.listen(fd, 4096) !== 0) throw new Error(`listen: errno ${koffi.errno()}`);
  s.view.setUint32(24, 16, true);
  if (c.getsockname(fd, s.address + 8, s.address + 24) !== 0) throw new Error(`getsockname: errno ${koffi.errno()}`);
  const bound = s.view.getUint16(10, false);
  c.free(s.address);
  return { fd, port: bound };
}
