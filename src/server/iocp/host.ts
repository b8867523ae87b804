/**
 * Main-thread half of the IOCP backend: Winsock start-up, one completion port, the overlapped
 * listening socket with a pool of pre-posted AcceptEx operations, and the native arena.
 */
import type { BackendHost, HostContext } from '../completion.js';
import { allocArena, freeArena, viewMemory } from '../../native/memory.js';
import { encodeSockaddr, sockaddrPort } from '../../native/sockaddr.js';
import { win32Error } from '../../native/win32/errors.js';
import { KEY_CONTROL, KEY_LISTEN, acceptPool, layout } from './layout.js';
import { SOMAXCONN_HINT, loadWin32, type Win32 } from '../../native/win32/win32.js';

const AF_INET6 = 23;

/** The listen backlog asked for: room for --max-sessions waiting connections, within what Windows takes. */
export function iocpBacklog(maxSessions: number): number {
  return SOMAXCONN_HINT(Math.min(Math.max(maxSessions, 200), 65535));
}

/** `win32`: the bindings (a test passes a recording fake; the server, nothing). */
export function createIocpHost(ctx: HostContext, win32: Win32 = loadWin32()): BackendHost {
  const w = win32;
  const { options, table, counters } = ctx;
  const wsadata = new Uint8Array(w.WSADATA_SIZE);
  const rc = w.WSAStartup(w.WINSOCK_VERSION, wsadata);
  if (rc !== 0) throw win32Error('WSAStartup', rc);
  const cleanups: Array<() => void> = [() => w.WSACleanup()];
  const undo = () => cleanups.splice(0).reverse().forEach((f) => f());
  try {
    // --concurrency 0: every worker may run at once (the LIFO release of a port limited to the
    // CPU count would leave workers past it idle under light load).
    const concurrentThreads = options.concurrency || options.workers;
    const port = w.CreateIoCompletionPort(w.INVALID_HANDLE_VALUE, 0, 0, concurrentThreads);
    if (port === 0) throw win32Error('CreateIoCompletionPort', w.GetLastError());
    cleanups.push(() => w.CloseHandle(port));

    const addr = encodeSockaddr(options.host, options.port, { inet: w.AF_INET, inet6: AF_INET6 });
    const family = addr.length === 16 ? w.AF_INET : AF_INET6;
    const lsock = w.WSASocketW(family, w.SOCK_STREAM, w.IPPROTO_TCP, null, 0, w.WSA_FLAG_OVERLAPPED | w.WSA_FLAG_NO_HANDLE_INHERIT);
    if (lsock === w.INVALID_SOCKET) throw win32Error('WSASocketW', w.WSAGetLastError());
    cleanups.push(() => w.closesocket(lsock));
    // Exclusive: on Windows SO_REUSEADDR would let a second server steal the port silently.
    w.setsockopt(lsock, w.SOL_SOCKET, w.SO_EXCLUSIVEADDRUSE, Int32Array.of(1), 4);
    if (w.bind(lsock, addr, addr.length) !== 0)
      throw win32Error('bind', w.WSAGetLastError(), `to ${options.host}:${options.port}`);
    if (w.listen(lsock, iocpBacklog(options.maxSessions)) !== 0) throw win32Error('listen', w.WSAGetLastError());
    const name = new Uint8Array(28);
    w.getsockname(lsock, name, Int32Array.of(name.length));
    const boundPort = sockaddrPort(Buffer.from(name.buffer));
    if (w.CreateIoCompletionPort(lsock, port, KEY_LISTEN, 0) === 0)
      throw win32Error('CreateIoCompletionPort', w.GetLastError());
    const acceptExPtr = w.getAcceptExPointer(lsock);
    if (acceptExPtr === 0n) throw win32Error('WSAIoctl(AcceptEx)', w.WSAGetLastError());

    const depth = options.acceptDepth;
    const probe = layout(0, table.capacity, depth, options.bufferSize);
    const arena = allocArena(probe.bytes);
    cleanups.push(() => freeArena(arena.ptr));
    const l = layout(arena.address, table.capacity, depth, options.bufferSize);
    const dv = new DataView(viewMemory(l.base, l.ringBase - l.base));
    const addressLength = (family === w.AF_INET ? 16 : 28) + 16;
    const main = counters.row(counters.rows - 1);
    const pool = acceptPool({
      w, dv, layout: l, depth, listenSocket: lsock, acceptEx: w.decodeAcceptEx(acceptExPtr),
      family, addressLength, counters: main, stopping: () => table.stopping(),
    });
    for (let i = 0; i < depth; i++) pool.post(i);

    let disposed = false;
    return {
      name: 'iocp',
      address: { host: options.host, port: boundPort },
      // More than the workers cannot run at once, whatever the port allows.
      concurrency: Math.min(options.workers, concurrentThreads),
      native: {
        port,
        listenSocket: lsock,
        arena: arena.address,
        acceptEx: Number(acceptExPtr),
        family,
        addressLength,
        // Contexts the first posting could not post (out of sockets): worker 0 retries them.
        unposted: pool.unposted().join(','),
      },
      postControl(code, count) {
        for (let i = 0; i < count; i++) w.PostQueuedCompletionStatus(port, code, KEY_CONTROL, 0);
      },
      dispose(drained) {
        if (disposed) return;
        disposed = true;
        // The listener (and its pending AcceptEx) and the port go first; the arena only when no
        // operation is outstanding: a pending one may still be completed into it by the kernel.
        w.closesocket(lsock);
        w.CloseHandle(port);
        if (drained) freeArena(arena.ptr);
        w.WSACleanup();
      },
    };
  } catch (err) {
    undo();
    throw err;
  }
}

