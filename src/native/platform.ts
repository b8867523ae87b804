/** Probes of what this machine's kernel offers the native (koffi) code of the server and the flood. */
import { nativeArch } from './arch.js';
import { uringAvailable } from './linux/uring.js';

/**
 * Whether the flood's native client transport (non-blocking sockets over epoll) runs here: Linux
 * on x86-64, whose structure layouts its bindings use (as the server's backends do).
 */
export function nativeClientTransportAvailable(): boolean {
  return process.platform === 'linux' && nativeArch();
}

/**
 * Whether io_uring passes its probe here (checked once per thread): the epoll server's workers
 * and the flood's uring transport then batch their recv()/send() calls through it.
 */
export function ioUringAvailable(): boolean {
  return nativeClientTransportAvailable() && uringAvailable();
}
