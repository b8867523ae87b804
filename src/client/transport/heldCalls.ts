/**
 * A connection's set-up and close calls: TCP_NODELAY and the epoll registration of a new socket,
 * SO_LINGER and close() of a dropped one. Each call the thread's ring can make (probed apart) is
 * held for the next epoll_wait, and the held calls go in one ring call just before it; the
 * others are made at once. Holding is safe: nothing is sent on a new socket before a later wait
 * reports it connected, and a held close keeps the descriptor, so its number is not reused.
 */
import {
  EPOLL_CTL_ADD,
  EPOLL_EVENT_SIZE,
  IPPROTO_TCP,
  SO_LINGER,
  SOL_SOCKET,
  TCP_NODELAY,
  type Libc,
} from '../../native/linux/libc.js';
import type { Uring } from '../../native/linux/uring.js';
import { allocArena, freeArena, viewMemory } from '../../native/memory.js';
import { writeEpollEvent, type TableEntry } from './socketTable.js';
import type { ThreadMemory } from './threadMemory.js';

const HELD_NODELAY = 1;
const HELD_ADD = 2;
const HELD_LINGER = 3;
const HELD_CLOSE = 4;

/** A socket whose set-up calls may be held. */
export interface HeldSocket extends TableEntry {
  /** -1 once closed: a held set-up call for a descriptor that is no longer the socket's is skipped. */
  readonly fd: number;
  /** The held registration failed with errno `e`. */
  registrationFailed(e: number): void;
}

export class HeldCalls {
  /** Which calls are held (each where the ring makes it); none once finish() has run. */
  private sockopt = false;
  private add = false;
  private close = false;
  private count = 0;
  private readonly kinds: Uint8Array;
  private readonly fds: Int32Array;
  /** HELD_NODELAY, HELD_ADD: the socket, to check its descriptor is still its own. */
  private readonly socks: (HeldSocket | null)[];
  private readonly results: Int32Array;
  /** HELD_ADD: each registration's epoll_event, read by the kernel during the ring call. */
  private eventsArena: { ptr: bigint; address: number } | null = null;
  private events: DataView | null = null;

  constructor(
    private readonly libc: Libc,
    private readonly epfd: number,
    private readonly mem: ThreadMemory,
    private readonly ring: Uring | null,
    private readonly capacity: number,
  ) {
    this.kinds = new Uint8Array(capacity);
    this.fds = new Int32Array(capacity);
    this.socks = new Array<HeldSocket | null>(capacity).fill(null);
    this.results = new Int32Array(capacity);
    if (!ring) return;
    // SO_LINGER is held only with the close after it: it must never reach a closed number.
    this.sockopt = ring.supports('setsockopt');
    this.add = ring.supports('epollCtl');
    this.close = ring.supports('close');
    if (this.add) {
      this.eventsArena = allocArena(capacity * EPOLL_EVENT_SIZE);
      this.events = new DataView(viewMemory(this.eventsArena.address, capacity * EPOLL_EVENT_SIZE));
    }
  }

  /** TCP_NODELAY on a socket that has just called connect(). */
  setNoDelay(s: HeldSocket): void {
    if (this.sockopt) this.hold(HELD_NODELAY, s.fd, s);
    else this.libc.setsockopt(s.fd, IPPROTO_TCP, TCP_NODELAY, this.mem.oneAddr, 4);
  }

  /**
   * Registers a socket with the thread's epoll set, for `bits`, with its data word. False if a
   * plain registration failed (errno tells why); a held one that fails tells the socket itself.
   */
  register(s: HeldSocket, bits: number): boolean {
    if (!this.add) {
      writeEpollEvent(this.mem.ctlEvent, 0, bits, s);
      return this.libc.epoll_ctl(this.epfd, EPOLL_CTL_ADD, s.fd, this.mem.ctlAddr) === 0;
    }
    writeEpollEvent(this.events!, this.hold(HELD_ADD, s.fd, s) * EPOLL_EVENT_SIZE, bits, s);
    return true;
  }

  /** close(fd), after SO_LINGER {1,0} when `reset` (the peer then gets RST instead of FIN). */
  closeFd(fd: number, reset: boolean): void {
    const held = this.close;
    if (reset) {
      if (held && this.sockopt) this.hold(HELD_LINGER, fd, null);
      else this.libc.setsockopt(fd, SOL_SOCKET, SO_LINGER, this.mem.lingerAddr, 8);
    }
    if (held) this.hold(HELD_CLOSE, fd, null);
    else this.libc.close(fd);
  }

  /** Just before epoll_wait: the held calls, in one ring call. */
  runBeforeWait(): void {
    if (this.count > 0) this.run();
  }

  /** Runs what is held; from then on every call is made at once (the ring is going away). */
  finish(): void {
    this.runBeforeWait();
    this.sockopt = this.add = this.close = false;
    if (this.eventsArena) freeArena(this.eventsArena.ptr);
    this.eventsArena = this.events = null;
  }

  /** Holds a call for the next wait; returns its index in the batch. */
  private hold(kind: number, fd: number, s: HeldSocket | null): number {
    if (this.count === this.capacity) this.run();
    const i = this.count++;
    this.kinds[i] = kind;
    this.fds[i] = fd;
    this.socks[i] = s;
    return i;
  }

  /**
   * Runs the held calls in one ring call, in the order they were held. A socket's TCP_NODELAY and
   * registration are skipped if it was dropped meanwhile (its number is then not its own); a
   * failed registration fails the socket on a later turn.
   */
  private run(): void {
    const n = this.count;
    this.count = 0;
    const ring = this.ring!;
    const res = this.results;
    for (let i = 0; i < n; i++) {
      const fd = this.fds[i]!;
      const s = this.socks[i];
      res[i] = 0;
      switch (this.kinds[i]) {
        case HELD_NODELAY:
          if (s!.fd === fd) ring.prepSetsockopt(fd, IPPROTO_TCP, TCP_NODELAY, this.mem.oneAddr, 4, i);
          break;
        case HELD_ADD:
          if (s!.fd === fd) ring.prepEpollCtl(this.epfd, EPOLL_CTL_ADD, fd, this.eventsArena!.address + i * EPOLL_EVENT_SIZE, i);
          break;
        case HELD_LINGER:
          ring.prepSetsockopt(fd, SOL_SOCKET, SO_LINGER, this.mem.lingerAddr, 8, i);
          break;
        default:
          ring.prepClose(fd, i);
      }
    }
    if (ring.prepared > 0) ring.run(res);
    for (let i = 0; i < n; i++) {
      const s = this.socks[i];
      this.socks[i] = null;
      if (this.kinds[i] === HELD_ADD && res[i]! < 0 && s!.fd === this.fds[i]) s!.registrationFailed(-res[i]!);
    }
  }
}
