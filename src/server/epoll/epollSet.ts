/**
 * This worker's side of the epoll set every worker shares: its event array, epoll_wait, and the
 * registrations it makes. The receive is registered once on the socket, edge-triggered (edges.ts
 * settles who runs it); the send on a dup() of the socket, EPOLLONESHOT, armed only when a send
 * has to wait; the listener EPOLLONESHOT, so one worker at a time accepts.
 */
import { OP_ACCEPT, OP_RECV, OP_SEND } from '../completion.js';
import { C_SEND_NO_DESCRIPTOR } from '../counters.js';
import { F_AUX, F_HANDLE, type SessionTable } from '../sessionTable.js';
import {
  EPOLL_CTL_ADD,
  EPOLL_CTL_MOD,
  EPOLLERR,
  EPOLLET,
  EPOLLHUP,
  EPOLLIN,
  EPOLLONESHOT,
  EPOLLOUT,
  EPOLLRDHUP,
  F_DUPFD_CLOEXEC,
  check,
  errno,
  type Libc,
} from '../../native/linux/libc.js';
import { EINTR } from '../../native/linux/errno.js';
import { allocArena, freeArena, viewMemory } from '../../native/memory.js';
import { EPOLL_EVENT_SIZE, writeEvent } from './dataWord.js';
import { firstSendRegistration } from './edges.js';

/** Events one epoll_wait returns at most. */
export const MAX_EVENTS = 64;
/** Event bits after which every receive returns at once (edges.ts remembers them). */
export const HANGUP_EVENTS = EPOLLRDHUP | EPOLLHUP | EPOLLERR;

/** The epoll_event of a receive registration (EPOLL_CTL_ADD on the socket), at byte `at` of `dv`. */
export function writeRecvEvent(dv: DataView, at: number, slot: number, gen: number): void {
  writeEvent(dv, at, EPOLLIN | EPOLLRDHUP | EPOLLET, OP_RECV, slot, gen);
}

/** The epoll_event that re-arms the listener (one worker at a time accepts), at byte `at` of `dv`. */
export function writeListenerEvent(dv: DataView, at: number): void {
  writeEvent(dv, at, EPOLLIN | EPOLLONESHOT, OP_ACCEPT, 0, 0);
}

export class EpollSet {
  /** What the last wait() returned, decoded with dataWord.ts. */
  readonly events: DataView;
  private readonly mem: { ptr: bigint; address: number };
  /** The one epoll_event epoll_ctl reads, after the event array. */
  private readonly ctl: DataView;
  private readonly ctlAddr: number;
  private readonly i32: Int32Array;

  /**
   * `fdCeiling`: descriptors from this number up are --fd-reserve's (accept.ts), which a send's
   * dup() must not take either: a slow reader's dup there would starve the stats endpoint and the
   * stop, and at the limit itself fail and reset sessions the reserve was kept for.
   */
  constructor(
    private readonly libc: Libc,
    /** The shared epoll set's descriptor. */
    readonly epfd: number,
    private readonly table: SessionTable,
    private readonly fdCeiling: number,
    private readonly counters: Float64Array,
  ) {
    const bytes = (MAX_EVENTS + 1) * EPOLL_EVENT_SIZE;
    this.mem = allocArena(bytes);
    const view = viewMemory(this.mem.address, bytes);
    this.events = new DataView(view, 0, MAX_EVENTS * EPOLL_EVENT_SIZE);
    this.ctl = new DataView(view, MAX_EVENTS * EPOLL_EVENT_SIZE, EPOLL_EVENT_SIZE);
    this.ctlAddr = this.mem.address + MAX_EVENTS * EPOLL_EVENT_SIZE;
    this.i32 = table.i32;
  }

  /** epoll_wait for up to `max` events; 0 when a signal interrupted it. */
  wait(max: number, timeoutMs: number): number {
    const n = this.libc.epoll_wait(this.epfd, this.mem.address, Math.min(MAX_EVENTS, max), timeoutMs);
    if (n >= 0) return n;
    if (errno() === EINTR) return 0;
    return check('epoll_wait', n);
  }

  /** The receive registration, made once at the slot's first receive; false: the socket is unusable. */
  registerRecv(fd: number, slot: number, gen: number): boolean {
    writeRecvEvent(this.ctl, 0, slot, gen);
    return this.libc.epoll_ctl(this.epfd, EPOLL_CTL_ADD, fd, this.ctlAddr) === 0;
  }

  /**
   * Arm the send registration, on a dup() of the socket made the first time it is needed; false
   * (the send fails, the session is reset) when none is left below the reserve.
   */
  armSend(slot: number, gen: number): boolean {
    const b = this.table.base(slot);
    let dupFd = this.i32[b + F_AUX];
    if (dupFd < 0) {
      dupFd = this.libc.fcntl(this.i32[b + F_HANDLE], F_DUPFD_CLOEXEC, 0);
      if (dupFd < 0 || dupFd >= this.fdCeiling) {
        if (dupFd >= 0) this.libc.close(dupFd);
        this.counters[C_SEND_NO_DESCRIPTOR]++;
        return false;
      }
      this.i32[b + F_AUX] = dupFd;
    }
    const op = firstSendRegistration(this.i32, b) ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    writeEvent(this.ctl, 0, EPOLLOUT | EPOLLONESHOT, OP_SEND, slot, gen);
    return this.libc.epoll_ctl(this.epfd, op, dupFd, this.ctlAddr) === 0;
  }

  /** Let the next connection wake one worker again. */
  armListener(listenFd: number): void {
    writeListenerEvent(this.ctl, 0);
    this.libc.epoll_ctl(this.epfd, EPOLL_CTL_MOD, listenFd, this.ctlAddr);
  }

  /** Take back a re-arm made before the accepts' results were known (accept.ts, out of descriptors). */
  disarmListener(listenFd: number): void {
    writeEvent(this.ctl, 0, EPOLLONESHOT, OP_ACCEPT, 0, 0);
    this.libc.epoll_ctl(this.epfd, EPOLL_CTL_MOD, listenFd, this.ctlAddr);
  }

  dispose(): void {
    freeArena(this.mem.ptr);
  }
}
