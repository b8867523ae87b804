/**
 * The flood's native client transport (Linux): non-blocking sockets through libc, one epoll fd per
 * client thread, and the thread's own loop — epoll_wait with a timeout taken from a small timer
 * heap, then expired timers, then deferred calls.
 *
 * Each socket is registered once, edge-triggered for input and output, right after connect(); its
 * 64-bit data word is (slot, generation), so an event for a socket closed earlier in the same batch
 * (whose slot may already hold a new socket) is recognised and dropped. Received bytes land in one
 * native buffer per thread, viewed once as a Buffer, and the verifier reads them there. Frames are
 * encoded straight into native memory and sent from it; only bytes the kernel did not take are
 * copied out, into the socket's queue, until EPOLLOUT. Frames written while a batch of events is
 * handled are encoded side by side and sent together once the batch is done (a socket's earlier
 * frames always go out before anything else it does), so the server is woken by a burst rather
 * than by one send at a time.
 *
 * As the `uring` transport, a turn's reads and a batch's sends go through one io_uring each: the
 * first read of every event that reads is made before any callback runs, each into a slice of
 * its own, in one call; and the batch's frames whose socket has no other frame in it (two of one
 * socket could leave in either order) are sent in one call. Each is a non-blocking recv()/send()
 * like the plain one, done before the call returns, so nothing the ring holds outlives it. With
 * a system call costing about a microsecond here, this is most of the flood's own cost per echo.
 * Calls that can wait wait for the next epoll_wait and go in one ring call just before it (where
 * the kernel runs them through the ring): a new socket's TCP_NODELAY and epoll registration
 * (nothing is sent on it before a later wait reports it connected, and registering a socket
 * reports what is already ready), and a dropped socket's SO_LINGER and close() (its descriptor
 * stays open, so its number cannot be reused, until then). That leaves socket() and connect() as
 * a connection's only plain calls.
 *
 * Close paths mirror `net`: destroy() is close() (the kernel resets if unread data remains),
 * resetAndDestroy() is SO_LINGER {1,0} + close(), end() is shutdown(SHUT_WR) once the queue is
 * empty. Errors found while writing are reported on a later turn, as `net` does.
 *
 * On a client thread of its own the loop blocks in epoll_wait (at most MAX_BLOCK_MS, so control
 * flags are seen). Run on the caller's thread (workers 0) it must not block Node's loop, so each
 * wait runs on libuv's thread pool (koffi's async call) and the turn continues in its callback.
 */
import { isIPv4 } from 'node:net';
import { allocArena, freeArena, viewMemory } from '../../native/memory.js';
import { encodeSockaddr } from '../../native/sockaddr.js';
import {
  AF_INET,
  AF_INET6,
  EPOLL_CLOEXEC,
  EPOLLERR,
  EPOLLET,
  EPOLLHUP,
  EPOLLIN,
  EPOLLOUT,
  EPOLLRDHUP,
  MSG_NOSIGNAL,
  SHUT_WR,
  SO_ERROR,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  SOL_SOCKET,
  check,
  errno,
  errnoName,
  loadLibc,
  type Libc,
} from '../../native/linux/libc.js';
import { EAGAIN, ECONNRESET, EINPROGRESS, EINTR } from '../../native/linux/errno.js';
import { Uring } from '../../native/linux/uring.js';
import { EventLoop, type LoopOwner } from './eventLoop.js';
import { HeldCalls } from './heldCalls.js';
import { SendBatch, type BatchedSocket } from './sendBatch.js';
import { SocketTable, eventBits } from './socketTable.js';
import { MAX_EVENTS, RECV_BYTES, STAGE_BYTES, ThreadMemory } from './threadMemory.js';
import type { Timer } from './timerHeap.js';
import type { ClientSocket, ClientTransport, SocketEvents, TimerHandle, TransportName } from './transport.js';

/** Reads per socket per event before yielding to the others (the rest is read on a later turn). */
const MAX_READS = 16;
const EV_BITS = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;

/** With io_uring: each event's first read lands in a slice of its own, all read in one call. */
const SLICE_BYTES = 16 * 1024;
const RING_ENTRIES = MAX_EVENTS;

export class NativeTransport implements ClientTransport, LoopOwner {
  readonly name: TransportName;
  private readonly libc: Libc;
  private readonly epfd: number;
  readonly mem: ThreadMemory;
  private readonly ev: Uint32Array;
  /** Frames written while one wait's events are handled, sent together once they are. */
  readonly batch: SendBatch;
  frameOffset = 0;
  readonly family: number;
  private readonly table = new SocketTable<NativeSocket>();
  private readonly loop: EventLoop;
  private disposed = false;
  /** Batches the turn's reads and the batch's sends into one system call each (null: plain calls). */
  private readonly ring: Uring | null;
  private readonly slicesMem: { ptr: bigint; address: number } | null = null;
  private readonly slices: Buffer[] = [];
  /** Results of the ring's reads, by event. */
  private readonly results = new Int32Array(MAX_EVENTS);
  /** A new socket's set-up calls and a dropped one's close, held for the next wait where the ring makes them. */
  private readonly held: HeldCalls;
  /** Per event of the turn: the read already made for it (its slice and result), if any. */
  private readonly preRead = new Int8Array(MAX_EVENTS);

  constructor(
    readonly host: string,
    readonly port: number,
    batched = false,
  ) {
    const libc = (this.libc = loadLibc());
    const addr = encodeSockaddr(host, port, { inet: AF_INET, inet6: AF_INET6 });
    this.family = isIPv4(host) ? AF_INET : AF_INET6;
    this.epfd = check('epoll_create1', libc.epoll_create1(EPOLL_CLOEXEC));
    this.mem = new ThreadMemory(addr);
    this.ev = this.mem.events;
    this.loop = new EventLoop(libc, this.epfd, this.mem.eventsAddr, MAX_EVENTS, this);
    // A thread whose ring cannot be set up (the probe passed, but each ring is a new mapping)
    // keeps to the plain calls: the same bytes, one system call each.
    this.ring = batched ? Uring.open(RING_ENTRIES) : null;
    this.name = this.ring ? 'uring' : 'native';
    if (this.ring) {
      this.slicesMem = allocArena(MAX_EVENTS * SLICE_BYTES);
      const sv = viewMemory(this.slicesMem.address, MAX_EVENTS * SLICE_BYTES);
      for (let i = 0; i < MAX_EVENTS; i++) this.slices.push(Buffer.from(sv, i * SLICE_BYTES, SLICE_BYTES));
    }
    this.batch = new SendBatch(this.mem.batch, this.mem.batchAddr, this.ring);
    this.held = new HeldCalls(libc, this.epfd, this.mem, this.ring, RING_ENTRIES);
  }

  // ------------------------------------------------------------------ loop services

  setTimer(fn: () => void, ms: number): TimerHandle {
    return this.loop.setTimer(fn, ms);
  }

  clearTimer(t: TimerHandle): void {
    this.loop.clearTimer(t as Timer);
  }

  /** At the end of the loop's turn (after its events and timers), as setImmediate() in `net`. */
  defer(fn: () => void): void {
    this.loop.atTurnEnd(fn);
  }

  /** As soon as the current callback returns, as process.nextTick() in `net`. */
  soon(fn: () => void): void {
    this.loop.afterCallback(fn);
  }

  connect(events: SocketEvents): ClientSocket {
    return new NativeSocket(this, this.libc, events);
  }

  frameBuffer(len: number): Buffer {
    const at = this.batch.offsetFor(len);
    if (at >= 0) {
      this.frameOffset = at;
      return this.batch.area;
    }
    this.frameOffset = 0;
    return len <= STAGE_BYTES ? this.mem.stage : Buffer.allocUnsafe(len);
  }

  drive(isDone: () => boolean, onTurn: () => void, ownThread: boolean): void {
    this.loop.drive(isDone, onTurn, ownThread);
  }

  /** The calls held for this wait go in one ring call just before it. */
  beforeWait(): void {
    this.held.runBeforeWait();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of this.table.slots) if (s) s.destroy();
    // The ring goes: a socket dropped from here on (a late callback) makes its calls plainly.
    this.held.finish();
    this.libc.close(this.epfd);
    this.mem.free();
    this.ring?.close();
    if (this.slicesMem) freeArena(this.slicesMem.ptr);
  }

  /**
   * The events of one wait, each to its socket; frames written meanwhile are batched and sent
   * once all of them are handled.
   */
  handleEvents(n: number): void {
    const ev = this.ev;
    const batch = this.batch;
    batch.collecting = n > 1;
    const pre = this.ring !== null && n > 1 && this.readAhead(n);
    for (let i = 0; i < n; i++) {
      const bits = eventBits(ev, i);
      const s = this.table.find(ev, i);
      // A read made ahead for a socket an earlier callback closed is dropped with it.
      const read = pre && this.preRead[i] === 1;
      this.preRead[i] = 0;
      if (s) {
        if (read) s.onEvent(bits, this.slices[i]!, this.results[i]!);
        else s.onEvent(bits, null, 0);
      }
      this.loop.callbackReturned();
    }
    batch.collecting = false;
    if (batch.size > 0) batch.send();
  }

  /**
   * Makes the first read of every event that will read, all in one call, before any callback
   * runs; each lands in the event's own slice. Returns whether any was made.
   */
  private readAhead(n: number): boolean {
    const ring = this.ring!;
    const ev = this.ev;
    for (let i = 0; i < n; i++) {
      const s = this.table.find(ev, i);
      if (s && s.readsOn(eventBits(ev, i)) && ring.prepared < ring.capacity) {
        ring.prepRecv(s.fd, this.slicesMem!.address + i * SLICE_BYTES, SLICE_BYTES, 0, i);
        this.preRead[i] = 1;
      }
    }
    if (ring.prepared === 0) return false;
    ring.run(this.results);
    return true;
  }

  // ------------------------------------------------------------------ socket table

  /**
   * Sets TCP_NODELAY on a socket that has just called connect() and registers it: edge-triggered,
   * both directions, once. False if the registration failed (errno tells why).
   */
  register(s: NativeSocket): boolean {
    this.table.add(s);
    this.held.setNoDelay(s);
    if (this.held.register(s, EV_BITS)) return true;
    this.release(s);
    return false;
  }

  /** close(fd), after SO_LINGER {1,0} when `reset` (the peer then gets RST instead of FIN). */
  closeFd(fd: number, reset: boolean): void {
    this.held.closeFd(fd, reset);
  }

  release(s: NativeSocket): void {
    this.table.remove(s);
  }

  soError(fd: number): number {
    const mem = this.mem;
    mem.clearSoError();
    if (this.libc.getsockopt(fd, SOL_SOCKET, SO_ERROR, mem.errAddr, mem.lenAddr) !== 0) return errno();
    return mem.soErrorValue();
  }
}

class NativeSocket implements ClientSocket, BatchedSocket {
  fd = -1;
  slot = -1;
  gen = 0;
  connecting = true;
  destroyed = false;
  /** Frames of this socket waiting in the transport's send batch. */
  framesInBatch = 0;
  private paused = false;
  /** Bytes the kernel has not taken yet, in order; unsent[0] starts at unsentOff. */
  private unsent: Buffer[] = [];
  private unsentOff = 0;
  private finPending = false;
  private drainFn: (() => void) | null = null;
  /** Close with RST (SO_LINGER {1,0}) rather than FIN. */
  private reset = false;

  constructor(
    private readonly t: NativeTransport,
    private readonly libc: Libc,
    private readonly ev: SocketEvents,
  ) {
    const fd = libc.socket(t.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      this.failLater('socket', errno());
      return;
    }
    this.fd = fd;
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

  // ------------------------------------------------------------------ ClientSocket

  write(data: Buffer, len = data.length, from = 0): boolean {
    if (this.destroyed || this.fd < 0) return false;
    const t = this.t;
    const batch = t.batch;
    if (data === batch.area) {
      if (this.unsent.length === 0 && !this.connecting && batch.add(this, from, len)) return true;
    } else if (this.framesInBatch > 0) {
      batch.send(); // this socket's batched frames go first
    }
    if (this.unsent.length > 0 || this.connecting) {
      this.enqueue(data, from, from + len);
      return false;
    }
    const end = from + len;
    let off = from;
    if (data === t.mem.stage || data === t.mem.batch) {
      // Already in native memory: send it from where it is.
      const sent = this.sendNow((data === t.mem.stage ? t.mem.stageAddr : t.mem.batchAddr) + off, end - off);
      if (sent < 0) return false;
      off += sent;
    } else {
      // A JS buffer: through the native stage, a stage-full at a time.
      while (off < end) {
        const k = Math.min(end - off, t.mem.stage.length);
        data.copy(t.mem.stage, 0, off, off + k);
        const sent = this.sendNow(t.mem.stageAddr, k);
        if (sent < 0) return false;
        off += sent;
        if (sent < k) break;
      }
    }
    if (off === end) return true;
    this.enqueue(data, off, end);
    return false;
  }

  /**
   * send() native memory until it is all gone or the socket would block; returns the bytes sent,
   * or -1 after a write error (reported on a later turn, as `net` does).
   */
  sendNow(addr: number, len: number): number {
    let sent = 0;
    while (sent < len) {
      const n = this.libc.send(this.fd, addr + sent, len - sent, MSG_NOSIGNAL);
      if (n > 0) {
        sent += n;
        continue;
      }
      const e = errno();
      if (n < 0 && e === EINTR) continue;
      if (n < 0 && e !== EAGAIN) {
        this.failLater('write', e);
        return -1;
      }
      break;
    }
    return sent;
  }

  get closed(): boolean {
    return this.destroyed || this.fd < 0;
  }

  get canSendNow(): boolean {
    return !this.destroyed && this.fd >= 0 && this.unsent.length === 0;
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

  // ------------------------------------------------------------------ events

  /** Whether an event with these bits will read (so its first read may be made ahead). */
  readsOn(bits: number): boolean {
    return !this.connecting && !this.paused && !this.destroyed && (bits & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) !== 0;
  }

  /** `pre`: when not null, the first read was made ahead into it, with result `preRes`. */
  onEvent(bits: number, pre: Buffer | null, preRes: number): void {
    if (this.connecting) {
      if (bits & (EPOLLERR | EPOLLHUP)) {
        const e = this.t.soError(this.fd);
        return this.fail('connect', e || ECONNRESET);
      }
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
    if (bits & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR) && !this.paused) this.read(bits, pre, preRes);
  }

  private read(bits: number, pre: Buffer | null = null, preRes = 0): void {
    const t = this.t;
    const libc = this.libc;
    // A short read means the buffer is empty: unless the event also says FIN or error, whose
    // edge would not come again, stop there (the next bytes bring a new edge).
    const drain = (bits & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) !== 0;
    for (let k = 0; k < MAX_READS; k++) {
      const buf = pre ?? t.mem.recvBuffer;
      const n = pre ? preRes : libc.recv(this.fd, t.mem.recvAddr, RECV_BYTES, 0);
      pre = null;
      if (n > 0) {
        this.ev.onBytes(buf, n);
        if (this.destroyed || this.paused) return;
        if (n < buf.length && !drain) return;
        continue;
      }
      if (n === 0) return this.eof();
      const e = n < 0 && buf !== t.mem.recvBuffer ? -n : errno();
      if (e === EINTR) continue;
      if (e !== EAGAIN) return this.fail('read', e);
      return;
    }
    // Edge-triggered: more may be waiting with no new edge to announce it.
    const gen = this.gen;
    t.defer(() => {
      if (!this.destroyed && this.gen === gen && !this.paused) this.read(bits);
    });
  }

  private flush(): void {
    const t = this.t;
    while (this.unsent.length > 0) {
      const b = this.unsent[0]!;
      const k = Math.min(b.length - this.unsentOff, t.mem.stage.length);
      b.copy(t.mem.stage, 0, this.unsentOff, this.unsentOff + k);
      const n = this.libc.send(this.fd, t.mem.stageAddr, k, MSG_NOSIGNAL);
      if (n < 0) {
        const e = errno();
        if (e === EINTR) continue;
        if (e !== EAGAIN) this.fail('write', e);
        return;
      }
      this.unsentOff += n;
      if (this.unsentOff === b.length) {
        this.unsent.shift();
        this.unsentOff = 0;
      }
      if (n < k) return; // the kernel is full: EPOLLOUT brings us back
    }
    if (this.finPending) {
      this.finPending = false;
      this.libc.shutdown(this.fd, SHUT_WR);
    }
    const fn = this.drainFn;
    this.drainFn = null;
    if (fn) fn();
  }

  /** Queues data[off, end) for EPOLLOUT. */
  private enqueue(data: Buffer, off: number, end: number): void {
    // The stage and the batch area are reused: bytes from them are copied out.
    const t = this.t;
    this.keepUnsent(data === t.mem.stage || data === t.mem.batch ? Buffer.from(data.subarray(off, end)) : data.subarray(off, end));
  }

  keepUnsent(part: Buffer): void {
    if (part.length > 0) this.unsent.push(part);
  }

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
    this.ev.onError(code, `${code}: ${syscall} ${code} ${this.t.host}:${this.t.port}`);
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
