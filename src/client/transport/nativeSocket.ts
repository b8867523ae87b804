/**
 * One flood connection over a non-blocking socket (the native transport's ClientSocket). Frames
 * are sent from native memory where they were encoded; bytes the kernel does not take wait in
 * the socket's queue for EPOLLOUT. Close paths mirror `net`: destroy() is close(), resetAndDestroy()
 * is SO_LINGER {1,0} + close(), end() is shutdown(SHUT_WR) once the queue is empty. Errors found
 * inside a call are reported on a later turn, as `net` does.
 */
import {
  EPOLLERR,
  EPOLLHUP,
  EPOLLIN,
  EPOLLOUT,
  EPOLLRDHUP,
  IP_BIND_ADDRESS_NO_PORT,
  IPPROTO_IP,
  MSG_NOSIGNAL,
  SHUT_WR,
  SO_ERROR,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  SOL_SOCKET,
  errno,
  errnoName,
  type Libc,
} from '../../native/linux/libc.js';
import { EAGAIN, ECONNRESET, EINPROGRESS, EINTR } from '../../native/linux/errno.js';
import type { HeldSocket } from './heldCalls.js';
import type { ReadingSocket } from './readAhead.js';
import type { BatchedSocket, SendBatch } from './sendBatch.js';
import { RECV_BYTES, type ThreadMemory } from './threadMemory.js';
import type { ClientSocket, SocketEvents } from './transport.js';

/** Reads per socket per event before yielding to the others (the rest is read on a later turn). */
const MAX_READS = 16;
/** Event bits after which a read will tell something: bytes, FIN or an error. */
const READABLE = EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR;

/** What a socket shares with the other sockets of its thread (the transport). */
export interface SocketHost {
  readonly host: string;
  readonly port: number;
  readonly family: number;
  readonly mem: ThreadMemory;
  readonly batch: SendBatch;
  /** Runs fn at the end of the loop's turn. */
  defer(fn: () => void): void;
  /** Gives a socket that has called connect() its slot and registers it; false if that failed (errno tells why). */
  register(s: NativeSocket): boolean;
  /** Takes a socket out of the table (its events are dropped from then on). */
  release(s: NativeSocket): void;
  /** close(fd), after SO_LINGER {1,0} when `reset`. */
  closeFd(fd: number, reset: boolean): void;
}

export class NativeSocket implements ClientSocket, BatchedSocket, HeldSocket, ReadingSocket {
  fd = -1;
  slot = -1;
  gen = 0;
  connecting = true;
  destroyed = false;
  /** Frames of this socket waiting in the thread's send batch. */
  framesInBatch = 0;
  sentAt = NaN;
  private paused = false;
  /** Bytes the kernel has not taken yet, in order; unsent[0] starts at unsentOff. */
  private unsent: Buffer[] = [];
  private unsentOff = 0;
  private finPending = false;
  private drainFn: (() => void) | null = null;
  /** Close with RST (SO_LINGER {1,0}) rather than FIN. */
  private reset = false;

  constructor(
    private readonly t: SocketHost,
    private readonly libc: Libc,
    private readonly ev: SocketEvents,
    /** --source: the local sockaddr to bind to before connecting (null: the OS picks). */
    source: Buffer | null = null,
  ) {
    const fd = libc.socket(t.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      this.failLater('socket', errno());
      return;
    }
    this.fd = fd;
    if (source !== null && !this.bindSource(source)) return;
    // Registered only after connect(): a socket that is not yet connecting polls as HUP.
    if (libc.connect(fd, t.mem.addrAddr, t.mem.addrLen) !== 0) {
      const e = errno();
      if (e !== EINPROGRESS) {
        this.failLater('connect', e);
        return;
      }
    }
    if (!t.register(this)) this.failLater('epoll_ctl', errno());
  }

  /**
   * Binds to a --source address. IP_BIND_ADDRESS_NO_PORT (Linux 4.2) leaves the port to
   * connect(), which picks it per (source, target) pair: a bind with port 0 alone would reserve
   * a port per source address, whatever the target, and run out sooner.
   */
  private bindSource(addr: Buffer): boolean {
    const libc = this.libc;
    // Best effort: without it (an old kernel), bind() still works, with fewer ports.
    libc.setsockopt(this.fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, this.t.mem.oneAddr, 4);
    if (libc.bind(this.fd, addr, addr.length) === 0) return true;
    this.failLater('bind', errno());
    return false;
  }

  /** Destroyed, or never got a descriptor. */
  get closed(): boolean {
    return this.destroyed || this.fd < 0;
  }

  /** Not closed and nothing queued ahead: a send may go straight to the kernel. */
  get canSendNow(): boolean {
    return !this.destroyed && this.fd >= 0 && this.unsent.length === 0;
  }

  // ------------------------------------------------------------------ ClientSocket

  write(data: Buffer, len = data.length, from = 0): boolean {
    if (this.destroyed || this.fd < 0) return false;
    const batch = this.t.batch;
    this.sentAt = NaN; // stamped just before the call that carries these bytes
    if (data === batch.area) {
      if (this.unsent.length === 0 && !this.connecting && batch.add(this, from, len)) return true;
    } else if (this.framesInBatch > 0) {
      batch.send(); // this socket's batched frames go first
    }
    const end = from + len;
    if (this.unsent.length > 0 || this.connecting) {
      this.enqueue(data, from, end);
      return false;
    }
    this.sentAt = performance.now();
    const off = this.sendBytes(data, from, end);
    if (off < 0) return false;
    if (off === end) return true;
    this.enqueue(data, off, end);
    return false;
  }

  onceDrain(fn: () => void): void {
    if (this.unsent.length === 0 && !this.connecting) this.t.defer(fn);
    else this.drainFn = fn;
  }

  end(): void {
    if (this.destroyed || this.fd < 0) return;
    if (this.framesInBatch > 0) this.t.batch.send();
    if (this.unsent.length > 0 || this.connecting) this.finPending = true;
    else this.libc.shutdown(this.fd, SHUT_WR);
  }

  destroy(): void {
    if (this.destroyed) return;
    // Frames already written go out before the close, as with a plain write() then close().
    if (this.framesInBatch > 0) this.t.batch.send();
    this.destroyed = true;
    this.connecting = false;
    this.drop();
  }

  resetAndDestroy(): void {
    if (this.destroyed) return;
    this.reset = true;
    this.destroy();
  }

  pause(): void {
    this.paused = true;
  }

  // ------------------------------------------------------------------ sending

  /**
   * Sends data[from, end) until it is all gone or the socket would block; returns where it
   * stopped, or -1 after a write error.
   */
  private sendBytes(data: Buffer, from: number, end: number): number {
    const mem = this.t.mem;
    if (data === mem.stage || data === mem.batch) {
      // Already in native memory: send it from where it is.
      const sent = this.sendNow((data === mem.stage ? mem.stageAddr : mem.batchAddr) + from, end - from);
      return sent < 0 ? -1 : from + sent;
    }
    // A JS buffer: through the native stage, a stage-full at a time.
    let off = from;
    while (off < end) {
      const k = Math.min(end - off, mem.stage.length);
      data.copy(mem.stage, 0, off, off + k);
      const sent = this.sendNow(mem.stageAddr, k);
      if (sent < 0) return -1;
      off += sent;
      if (sent < k) break;
    }
    return off;
  }

  /**
   * send() native memory until it is all gone or the socket would block; returns the bytes sent,
   * or -1 after a write error (reported on a later turn, as `net` does).
   */
  sendNow(addr: number, len: number): number {
    const sent = sendUntilBlocked(this.libc, this.fd, addr, len);
    if (sent >= 0) return sent;
    this.failLater('write', -sent);
    return -1;
  }

  /** Queues data[off, end) for EPOLLOUT. */
  private enqueue(data: Buffer, off: number, end: number): void {
    // The stage and the batch area are reused: bytes from them are copied out.
    const mem = this.t.mem;
    this.keepUnsent(data === mem.stage || data === mem.batch ? Buffer.from(data.subarray(off, end)) : data.subarray(off, end));
  }

  stampSend(at: number): void {
    if (Number.isNaN(this.sentAt)) this.sentAt = at;
  }

  keepUnsent(part: Buffer): void {
    if (part.length > 0) this.unsent.push(part);
  }

  /** On EPOLLOUT (or once connected): the queued bytes, then the FIN and drain callback they held back. */
  private flush(): void {
    if (!this.sendUnsent()) return;
    if (this.finPending) {
      this.finPending = false;
      this.libc.shutdown(this.fd, SHUT_WR);
    }
    const fn = this.drainFn;
    this.drainFn = null;
    if (fn) fn();
  }

  /** Sends the queue through the stage; true once it is empty (false: the kernel is full, or it failed). */
  private sendUnsent(): boolean {
    const mem = this.t.mem;
    while (this.unsent.length > 0) {
      const b = this.unsent[0]!;
      const k = Math.min(b.length - this.unsentOff, mem.stage.length);
      b.copy(mem.stage, 0, this.unsentOff, this.unsentOff + k);
      if (Number.isNaN(this.sentAt)) this.sentAt = performance.now();
      const n = this.libc.send(this.fd, mem.stageAddr, k, MSG_NOSIGNAL);
      if (n < 0) {
        const e = errno();
        if (e === EINTR) continue;
        if (e !== EAGAIN) this.fail('write', e);
        return false;
      }
      this.unsentOff += n;
      if (this.unsentOff === b.length) {
        this.unsent.shift();
        this.unsentOff = 0;
      }
      if (n < k) return false; // the kernel is full: EPOLLOUT brings us back
    }
    return true;
  }

  // ------------------------------------------------------------------ events

  readsOn(bits: number): boolean {
    return !this.connecting && !this.paused && !this.destroyed && (bits & READABLE) !== 0;
  }

  /** `pre`: when not null, the first read was made ahead into it, with result `preRes`. */
  onEvent(bits: number, pre: Buffer | null, preRes: number): void {
    if (this.connecting) {
      if (bits & (EPOLLERR | EPOLLHUP)) return this.fail('connect', this.soError() || ECONNRESET);
      if (!(bits & EPOLLOUT)) return;
      this.connecting = false;
      this.ev.onConnect();
      if (this.destroyed) return;
      if (this.unsent.length > 0 || this.finPending) this.flush();
      if (this.destroyed) return;
    } else if (bits & EPOLLOUT && (this.unsent.length > 0 || this.finPending)) {
      this.flush();
      if (this.destroyed) return;
    }
    if (bits & READABLE && !this.paused) this.read(bits, pre, preRes);
  }

  private read(bits: number, pre: Buffer | null = null, preRes = 0): void {
    const mem = this.t.mem;
    const libc = this.libc;
    // A short read means the buffer is empty: unless the event also says FIN or error, whose
    // edge would not come again, stop there (the next bytes bring a new edge).
    const drain = (bits & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) !== 0;
    for (let k = 0; k < MAX_READS; k++) {
      const buf = pre ?? mem.recvBuffer;
      const n = pre ? preRes : libc.recv(this.fd, mem.recvAddr, RECV_BYTES, 0);
      pre = null;
      if (n > 0) {
        this.ev.onBytes(buf, n);
        if (this.destroyed || this.paused) return;
        if (n < buf.length && !drain) return;
        continue;
      }
      if (n === 0) return this.eof();
      const e = n < 0 && buf !== mem.recvBuffer ? -n : errno();
      if (e === EINTR) continue;
      if (e !== EAGAIN) return this.fail('read', e);
      return;
    }
    // Edge-triggered: more may be waiting with no new edge to announce it.
    const gen = this.gen;
    this.t.defer(() => {
      if (!this.destroyed && this.gen === gen && !this.paused) this.read(bits);
    });
  }

  /** Why a connect failed: SO_ERROR (or getsockopt's own errno). */
  private soError(): number {
    const mem = this.t.mem;
    mem.clearSoError();
    if (this.libc.getsockopt(this.fd, SOL_SOCKET, SO_ERROR, mem.errAddr, mem.lenAddr) !== 0) return errno();
    return mem.soErrorValue();
  }

  // ------------------------------------------------------------------ endings

  /** EOF from the peer: like `net` (allowHalfOpen off), 'end' then the socket closes. */
  private eof(): void {
    this.ev.onEnd();
    if (this.destroyed) return;
    this.destroy();
    this.ev.onClose();
  }

  private fail(syscall: string, e: number): void {
    if (this.destroyed) return;
    const code = errnoName(e);
    // A bind is of the connection's --source address, not of the target.
    const where = syscall === 'bind' ? 'to its --source address' : `${this.t.host}:${this.t.port}`;
    this.ev.onError(code, `${code}: ${syscall} ${code} ${where}`);
    if (this.destroyed) return;
    this.destroy();
    this.ev.onClose();
  }

  /** The ring call that registered this socket failed with errno `e`. */
  registrationFailed(e: number): void {
    this.t.release(this);
    this.failLater('epoll_ctl', e);
  }

  /** Errors found inside a call the connection made are reported on a later turn, as in `net`. */
  failLater(syscall: string, e: number): void {
    this.t.defer(() => this.fail(syscall, e));
  }

  private drop(): void {
    this.unsent.length = 0;
    this.drainFn = null;
    this.t.release(this);
    if (this.fd >= 0) this.t.closeFd(this.fd, this.reset);
    this.fd = -1;
  }
}

/**
 * send() native memory [addr, addr+len) on a non-blocking socket until it is all gone or the socket
 * would block: the bytes sent, or -errno after a write error.
 */
export function sendUntilBlocked(libc: Libc, fd: number, addr: number, len: number): number {
  let sent = 0;
  while (sent < len) {
    const n = libc.send(fd, addr + sent, len - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += n;
      continue;
    }
    const e = errno();
    if (n < 0 && e === EINTR) continue;
    if (n < 0 && e !== EAGAIN) return -e;
    break;
  }
  return sent;
}
