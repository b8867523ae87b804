/**
 * The native loop's precise wake-up: a timerfd on CLOCK_MONOTONIC (the clock performance.now()
 * reads) in the thread's epoll set. epoll_wait's own timeout counts whole milliseconds (and the
 * kernel adds its timer slack, 50 µs by default); a timerfd expires at its nanosecond deadline
 * with no slack, so a wait that has a timer due within the next few milliseconds returns at that
 * timer's time, not at the next whole millisecond after it. Edge-triggered: each expiry is one
 * event, with no read() to consume it (re-arming resets its count). Its event names no socket:
 * the transport skips it, and the loop runs its due timers after every wait anyway.
 */
import {
  CLOCK_MONOTONIC,
  EPOLL_CTL_ADD,
  EPOLL_EVENT_SIZE,
  EPOLLET,
  EPOLLIN,
  ITIMERSPEC_SIZE,
  TFD_CLOEXEC,
  TFD_NONBLOCK,
  type Libc,
} from '../../native/linux/libc.js';
import { allocArena, freeArena, viewMemory } from '../../native/memory.js';

/** The epoll data word of the timer's event: slot 0xffffffff, generation 0, which no socket has (socketTable.ts). */
export const WAKE_SLOT = 0xffffffff;

export class WakeTimer {
  /** itimerspec (it_interval zero, then it_value), then the epoll_event that registers the fd. */
  private readonly view: DataView;

  private constructor(
    private readonly libc: Libc,
    readonly fd: number,
    private readonly mem: { ptr: bigint; address: number },
  ) {
    this.view = new DataView(viewMemory(mem.address, ITIMERSPEC_SIZE + EPOLL_EVENT_SIZE));
    for (let at = 0; at < ITIMERSPEC_SIZE; at += 4) this.view.setUint32(at, 0, true);
  }

  /** A timer registered with `epfd`, or null where the kernel refuses one (the loop then keeps to whole-ms waits). */
  static open(libc: Libc, epfd: number): WakeTimer | null {
    const fd = libc.timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    if (fd < 0) return null;
    const t = new WakeTimer(libc, fd, allocArena(ITIMERSPEC_SIZE + EPOLL_EVENT_SIZE));
    const ev = t.view;
    ev.setUint32(ITIMERSPEC_SIZE, (EPOLLIN | EPOLLET) >>> 0, true);
    ev.setUint32(ITIMERSPEC_SIZE + 4, WAKE_SLOT, true);
    ev.setUint32(ITIMERSPEC_SIZE + 8, 0, true);
    if (libc.epoll_ctl(epfd, EPOLL_CTL_ADD, fd, t.mem.address + ITIMERSPEC_SIZE) !== 0) {
      t.close();
      return null;
    }
    return t;
  }

  /**
   * Expires `ms` (fractional) from now, replacing any earlier arming. Rounded up to the next
   * nanosecond, plus one: a wait it ends reads performance.now() at or past the deadline it was
   * armed for, never a rounding error before it.
   */
  arm(ms: number): void {
    const ns = Math.max(1, Math.ceil(ms * 1e6) + 1);
    const v = this.view;
    // it_interval stays zero (one shot); it_value = { sec, nsec }, each a little-endian i64 whose
    // high half stays zero (the loop arms at most MAX_BLOCK_MS ahead).
    v.setUint32(16, Math.floor(ns / 1e9), true);
    v.setUint32(24, ns % 1e9, true);
    this.libc.timerfd_settime(this.fd, 0, this.mem.address, 0);
  }

  close(): void {
    this.libc.close(this.fd);
    freeArena(this.mem.ptr);
  }
}
