/**
 * The IOCP backend's native arena and the AcceptEx pool, shared by the main thread (which posts
 * the first AcceptEx operations) and the workers (which re-post them).
 *
 * Arena: [op areas: capacity x OP_STRIDE][accept contexts: depth x ACCEPT_STRIDE][rings].
 * A slot's op area holds its two OVERLAPPEDs, their WSABUFs, the WSARecv flags word, the
 * generation each operation was posted under and, for a zero-byte read, the ring range it is
 * for. A completion's slot is recovered from its OVERLAPPED's address, (address - base) /
 * OP_STRIDE; which OVERLAPPED it is gives the op.
 */
import { C_ACCEPT_COMPLETED, C_ACCEPT_FAILURES, C_ACCEPT_POSTED } from '../counters.js';
import type { Win32 } from '../../native/win32/win32.js';

export const OP_STRIDE = 128;
export const RECV_OV = 0;
export const SEND_OV = 32;
export const RECV_WSABUF = 64;
export const SEND_WSABUF = 80;
export const RECV_FLAGS = 96;
export const RECV_GEN = 100;
export const SEND_GEN = 104;
/** A zero-byte read (refcount lifetime): the ring range its bytes go to once it completes. */
export const RECV_WANT_OFF = 108;
export const RECV_WANT_LEN = 112;

export const ACCEPT_STRIDE = 160;
const ACC_OV = 0;
const ACC_SOCKET = 32;
const ACC_BYTES = 40;
const ACC_OUTPUT = 48; // two addresses of up to sizeof(sockaddr_in6) + 16 = 44 bytes each

/** Completion keys. Sessions use 0 (the refcount lifetime reads the OVERLAPPED, not the key). */
export const KEY_LISTEN = 1;
export const KEY_CONTROL = 2;

export interface ArenaLayout {
  base: number;
  opBase: number;
  acceptBase: number;
  ringBase: number;
  bytes: number;
}

export function layout(base: number, capacity: number, depth: number, bufferSize: number): ArenaLayout {
  const opBase = base;
  const acceptBase = opBase + capacity * OP_STRIDE;
  const ringBase = Math.ceil((acceptBase + depth * ACCEPT_STRIDE) / 4096) * 4096;
  return { base, opBase, acceptBase, ringBase, bytes: ringBase - base + capacity * bufferSize };
}

/** Contexts that could not be posted are tried again after this long (ms), not sooner. */
export const ACCEPT_RETRY_MS = 100;

export interface AcceptPool {
  /**
   * Post AcceptEx for context `index` with a fresh socket. False if it could not be posted
   * (no socket: WSAEMFILE / WSAENOBUFS; or AcceptEx failed at once): the context is kept for
   * retry(), so the pool never shrinks for good and never spins.
   */
  post(index: number): boolean;
  /** Post again the contexts this pool could not post, at most once per ACCEPT_RETRY_MS. */
  retry(nowMs: number): void;
  /** Contexts waiting for retry(). */
  unposted(): readonly number[];
  /** Which accept context an OVERLAPPED address belongs to, or -1. */
  indexOf(overlapped: number): number;
  /** The socket a context's AcceptEx accepted into. */
  socketOf(index: number): number;
}

export interface AcceptPoolDeps {
  w: Win32;
  /** The arena's op and accept areas as a DataView starting at layout.base (rings excluded). */
  dv: DataView;
  layout: ArenaLayout;
  depth: number;
  listenSocket: number;
  acceptEx: ReturnType<Win32['decodeAcceptEx']>;
  family: number;
  addressLength: number;
  counters: Float64Array;
  stopping: () => boolean;
  /** Contexts another thread could not post, handed over for retry(). */
  unposted?: number[];
}

export function acceptPool(d: AcceptPoolDeps): AcceptPool {
  const { w, dv, layout: l } = d;
  const rel = (index: number) => l.acceptBase - l.base + index * ACCEPT_STRIDE;
  let waiting = [...(d.unposted ?? [])];
  let lastRetry = -Infinity;
  const failed = (index: number) => {
    d.counters[C_ACCEPT_FAILURES]++;
    if (!d.stopping()) waiting.push(index);
    return false;
  };
  return {
    retry(nowMs) {
      if (waiting.length === 0 || nowMs - lastRetry < ACCEPT_RETRY_MS || d.stopping()) return;
      lastRetry = nowMs;
      const again = waiting;
      waiting = [];
      for (const index of again) this.post(index);
    },
    unposted: () => waiting,
    post(index) {
      const at = rel(index);
      const sock = w.WSASocketW(d.family, w.SOCK_STREAM, w.IPPROTO_TCP, null, 0, w.WSA_FLAG_OVERLAPPED | w.WSA_FLAG_NO_HANDLE_INHERIT);
      if (sock === w.INVALID_SOCKET) return failed(index);
      for (let k = 0; k < 32; k += 8) dv.setBigUint64(at + ACC_OV + k, 0n, true);
      dv.setBigInt64(at + ACC_SOCKET, BigInt(sock), true);
      const ov = l.acceptBase + index * ACCEPT_STRIDE + ACC_OV;
      d.counters[C_ACCEPT_POSTED]++; // completed by the worker that dequeues this OVERLAPPED
      const ok = d.acceptEx(
        d.listenSocket, sock, ov - ACC_OV + ACC_OUTPUT, 0, d.addressLength, d.addressLength,
        ov - ACC_OV + ACC_BYTES, ov,
      );
      if (!ok && w.WSAGetLastError() !== w.ERROR_IO_PENDING) {
        // Failed at once: no packet will come.
        d.counters[C_ACCEPT_COMPLETED]++;
        w.closesocket(sock);
        return failed(index);
      }
      // A stop that began while this was being posted has already cancelled the others.
      if (d.stopping()) w.CancelIoEx(d.listenSocket, ov);
      return true;
    },
    indexOf(overlapped) {
      const off = overlapped - l.acceptBase;
      if (off < 0 || off >= d.depth * ACCEPT_STRIDE || off % ACCEPT_STRIDE !== ACC_OV) return -1;
      return off / ACCEPT_STRIDE;
    },
    socketOf(index) {
      return Number(dv.getBigInt64(rel(index) + ACC_SOCKET, true));
    },
  };
}

