/**
 * The flood's native client transport (Linux): non-blocking sockets through libc, one epoll fd and
 * one loop per client thread. This file wires the pieces (each file's header says what it is for;
 * README.md's Design section tells why) and hands each wait's events to their sockets. As `uring`,
 * a turn's first reads, a batch's sends and the held set-up and close calls go in one io_uring
 * call each.
 */
import { isIPv4 } from 'node:net';
import { encodeSockaddr } from '../../native/sockaddr.js';
import {
  AF_INET,
  AF_INET6,
  EPOLL_CLOEXEC,
  EPOLLET,
  EPOLLIN,
  EPOLLOUT,
  EPOLLRDHUP,
  check,
  loadLibc,
  type Libc,
} from '../../native/linux/libc.js';
import { Uring } from '../../native/linux/uring.js';
import { EventLoop, type LoopOwner } from './eventLoop.js';
import { HeldCalls } from './heldCalls.js';
import { NativeSocket, type SocketHost } from './nativeSocket.js';
import { ReadAhead } from './readAhead.js';
import { SendBatch } from './sendBatch.js';
import { SocketTable, eventBits } from './socketTable.js';
import { MAX_EVENTS, STAGE_BYTES, ThreadMemory } from './threadMemory.js';
import type { Timer } from './timerHeap.js';
import { WakeTimer } from './wakeTimer.js';
import type { ClientSocket, ClientTransport, SocketEvents, TimerHandle, TransportName } from './transport.js';

/** Each socket is registered once, edge-triggered, for both directions and the peer's FIN. */
const EV_BITS = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
const RING_ENTRIES = MAX_EVENTS;

export class NativeTransport implements ClientTransport, LoopOwner, SocketHost {
  readonly name: TransportName;
  readonly family: number;
  readonly mem: ThreadMemory;
  /** Frames written while one wait's events are handled, sent together once they are. */
  readonly batch: SendBatch;
  frameOffset = 0;
  private readonly libc: Libc;
  private readonly epfd: number;
  private readonly loop: EventLoop;
  /** Ends a wait at a precise timer's sub-millisecond deadline (null where no timerfd could be made). */
  private readonly wake: WakeTimer | null;
  private readonly table = new SocketTable<NativeSocket>();
  /** One io_uring per thread (null: plain calls). */
  private readonly ring: Uring | null;
  private readonly readAhead: ReadAhead | null = null;
  /** A new socket's set-up calls and a dropped one's close, held for the next wait where the ring makes them. */
  private readonly held: HeldCalls;
  private disposed = false;
  /** --source addresses as sockaddrs with port 0 (the kernel picks the port at connect()). */
  private readonly sources: Buffer[];

  constructor(
    readonly host: string,
    readonly port: number,
    batched = false,
    /** --source: local addresses to bind to, by connection id round robin. */
    sources: readonly string[] = [],
  ) {
    const libc = (this.libc = loadLibc());
    this.sources = sources.map((a) => encodeSockaddr(a, 0, { inet: AF_INET, inet6: AF_INET6 }));
    const addr = encodeSockaddr(host, port, { inet: AF_INET, inet6: AF_INET6 });
    this.family = isIPv4(host) ? AF_INET : AF_INET6;
    this.epfd = check('epoll_create1', libc.epoll_create1(EPOLL_CLOEXEC));
    this.mem = new ThreadMemory(addr);
    this.wake = WakeTimer.open(libc, this.epfd);
    this.loop = new EventLoop(libc, this.epfd, this.mem.eventsAddr, MAX_EVENTS, this, this.wake);
    // A thread whose ring cannot be set up (the probe passed, but each ring is a new mapping)
    // keeps to the plain calls: the same bytes, one system call each.
    this.ring = batched ? Uring.open(RING_ENTRIES) : null;
    this.name = this.ring ? 'uring' : 'native';
    if (this.ring) this.readAhead = new ReadAhead(this.ring, MAX_EVENTS);
    this.batch = new SendBatch(this.mem.batch, this.mem.batchAddr, this.ring);
    this.held = new HeldCalls(libc, this.epfd, this.mem, this.ring, RING_ENTRIES);
  }

  // ------------------------------------------------------------------ ClientTransport

  setTimer(fn: () => void, ms: number, precise = false): TimerHandle {
    return this.loop.setTimer(fn, ms, precise);
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

  connect(events: SocketEvents, id: number): ClientSocket {
    const n = this.sources.length;
    return new NativeSocket(this, this.libc, events, n > 0 ? this.sources[id % n]! : null);
  }

  /** The batch area while a wait's events are handled and it has room; else the stage (or a new buffer). */
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

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of this.table.slots) if (s) s.destroy();
    // The ring goes: a socket dropped from here on (a late callback) makes its calls plainly.
    this.held.finish();
    this.wake?.close();
    this.libc.close(this.epfd);
    this.mem.free();
    this.ring?.close();
    this.readAhead?.free();
  }

  // ------------------------------------------------------------------ LoopOwner

  /** The calls held for this wait go in one ring call just before it. */
  beforeWait(): void {
    this.held.runBeforeWait();
  }

  /**
   * The events of one wait, each to its socket (the first reads made ahead where the ring can);
   * frames written meanwhile are batched and sent once all of them are handled.
   */
  handleEvents(n: number): void {
    const events = this.mem.events;
    const batch = this.batch;
    const ahead = this.readAhead;
    batch.collecting = n > 1;
    const pre = ahead !== null && n > 1 && ahead.readFirst(events, n, this.table);
    for (let i = 0; i < n; i++) {
      // null: a socket gone, or the wake timer's event (wakeTimer.ts), which names none.
      const s = this.table.find(events, i);
      // A read made ahead for a socket an earlier callback closed is dropped with it.
      const read = pre && ahead.take(i);
      if (s) {
        if (read) s.onEvent(eventBits(events, i), ahead.slices[i]!, ahead.results[i]!);
        else s.onEvent(eventBits(events, i), null, 0);
      }
      this.loop.callbackReturned();
    }
    batch.collecting = false;
    if (batch.size > 0) batch.send();
  }

  // ------------------------------------------------------------------ SocketHost

  register(s: NativeSocket): boolean {
    this.table.add(s);
    this.held.setNoDelay(s);
    if (this.held.register(s, EV_BITS)) return true;
    this.table.remove(s);
    return false;
  }

  release(s: NativeSocket): void {
    this.table.remove(s);
  }

  closeFd(fd: number, reset: boolean): void {
    this.held.closeFd(fd, reset);
  }
}
