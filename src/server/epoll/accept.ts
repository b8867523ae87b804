/**
 * Accepting on the listener every worker shares. It is registered EPOLLONESHOT, so one worker at
 * a time accepts a burst (up to --accept-depth per wake-up) and then re-arms it for the next.
 *
 * A session must leave --fd-reserve descriptors free below the process's limit, for the stats
 * endpoint, the stop path and Node: Linux hands out the lowest free number, so a connection
 * accepted at or above the ceiling is reset at once and counted in `sessions.rejected`.
 *
 * Out of descriptors all the same (EMFILE/ENFILE: --fd-reserve 0, or descriptors opened
 * elsewhere in the process), the listener stays readable and re-arming it would wake a
 * worker again at once, for ever. So each acceptor keeps one spare descriptor (an eventfd), as
 * libuv does: at EMFILE it closes the spare, accepts into the descriptor just freed and resets
 * that connection at once, until the queue is empty, then takes the spare back. Waiting clients
 * are reset and counted in `sessions.rejected`; the CPU spent is one accept per client, not a
 * spin. When the spare cannot be taken back (another thread got the descriptor first), the
 * listener is left disarmed and retried on a later wake-up, no sooner than RETRY_MS.
 *
 * Where the kernel makes accepts through io_uring without waiting (uring.ts), a wake-up's accepts
 * and the listener's re-arm after them go in the ring call that carries the same wait's receives
 * (`prepare`, then `complete` with the results): no accept4 per connection, and none for the empty
 * queue at the end. It asks for as many as the last burst brought (twice as many when all of
 * them came): an accept that finds no connection still costs the kernel a socket's set-up and
 * tear-down. A burst larger than that is left in the queue, where the re-armed listener reports
 * it at the next wait. Out of descriptors, shedding is made with plain calls as above, and a re-arm the ring made
 * is taken back when the listener must stay disarmed.
 */
import { OP_ACCEPT, type CompletionBatch } from '../completion.js';
import { C_ACCEPT_FAILURES, C_REJECTED } from '../counters.js';
import type { SessionTable } from '../sessionTable.js';
import { EFD_CLOEXEC, SOCK_CLOEXEC, SOCK_NONBLOCK, errno, type Libc } from '../../native/linux/libc.js';
import { EAGAIN, EINTR, EMFILE, ENFILE } from '../../native/linux/errno.js';
import type { EpollSet } from './epollSet.js';
import { ACCEPT_TAG, OP_DROPPED, RING_ACCEPTS, type RingAccepts, type UringBatch } from './uringBatch.js';

/** An accept's completion names no slot yet: the engine allocates one. */
const NO_SLOT = -1;
/** A disarmed listener (no spare descriptor) is tried again after this long. */
const RETRY_MS = 100;
/** Connections reset per shedding pass: bounds one wake-up under an endless stream of clients. */
const SHED_MAX = 4096;

export class Acceptor implements RingAccepts {
  private accepting = true;
  /** Accepts the next wake-up asks the ring for (RING_ACCEPTS at most). */
  private ringAsk = 4;
  // This wait's accepts in the ring: the first batch entry reserved, how many, and whether the
  // ring re-arms the listener after them.
  private ringOut = 0;
  private ringCount = 0;
  private ringRearmed = false;
  private spare: number;
  /** performance.now() when the listener was left disarmed, or -1 while it is armed. */
  private parkedAt = -1;

  constructor(
    private readonly libc: Libc,
    private readonly listenFd: number,
    private readonly depth: number,
    private readonly table: SessionTable,
    private readonly epoll: EpollSet,
    private readonly counters: Float64Array,
    private readonly limits: {
      /** An accepted descriptor at or above this leaves too few free (--fd-reserve): reset it. */
      fdCeiling: number;
      /** Closes an accepted socket with a reset. */
      reset: (fd: number) => void;
    },
  ) {
    this.spare = libc.eventfd(0, EFD_CLOEXEC);
  }

  /** Accept up to `room` connections into batch[out...], each an OP_ACCEPT completion; returns how many. */
  accept(batch: CompletionBatch, out: number, room: number): number {
    let n = 0;
    const limit = Math.min(room, this.depth);
    // Resets count against the pass too, so an endless stream of them cannot hold this worker.
    for (let tries = 0; n < limit && tries < SHED_MAX && this.accepting; tries++) {
      const fd = this.libc.accept4(this.listenFd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        const e = errno();
        if (e === EAGAIN || e === EINTR) break;
        this.counters[C_ACCEPT_FAILURES]++;
        if (e === EMFILE || e === ENFILE) {
          this.shed();
          break;
        }
        continue;
      }
      if (fd >= this.limits.fdCeiling) {
        this.limits.reset(fd);
        this.counters[C_REJECTED]++;
        continue;
      }
      batch.op[out + n] = OP_ACCEPT;
      batch.handle[out + n] = fd;
      batch.slot[out + n] = NO_SLOT;
      batch.status[out + n] = 0;
      n++;
    }
    this.rearm();
    return n;
  }

  /**
   * With the ring (UringBatch.accepts): reserve up to `room` entries at batch[out...] and prepare
   * that many accepts in the ring, made with this wait's receives; returns how many entries were
   * reserved (complete() fills or drops each).
   */
  prepare(batch: CompletionBatch, out: number, room: number, ring: UringBatch): number {
    const m = Math.min(room, this.depth, this.ringAsk);
    if (!this.accepting || m <= 0) {
      this.rearm();
      return 0;
    }
    for (let i = 0; i < m; i++) batch.op[out + i] = OP_DROPPED;
    this.ringOut = out;
    this.ringCount = m;
    this.ringRearmed = ring.prepAccepts(this.listenFd, m, this.mayRearm());
    return m;
  }

  complete(batch: CompletionBatch, results: Int32Array): number {
    const m = this.ringCount;
    this.ringCount = 0;
    let got = 0;
    let outOfDescriptors = false;
    for (let i = 0; i < m; i++) {
      const at = this.ringOut + i;
      const fd = results[ACCEPT_TAG + i];
      if (fd >= 0 && fd < this.limits.fdCeiling) {
        batch.op[at] = OP_ACCEPT;
        batch.handle[at] = fd;
        batch.slot[at] = NO_SLOT;
        batch.status[at] = 0;
        got++;
        continue;
      }
      if (fd >= 0) {
        this.limits.reset(fd);
        this.counters[C_REJECTED]++;
      } else if (fd !== -EAGAIN && fd !== -EINTR) {
        this.counters[C_ACCEPT_FAILURES]++;
        if (fd === -EMFILE || fd === -ENFILE) outOfDescriptors = true;
      }
    }
    // As many as this burst brought (an accept that finds no connection costs the kernel a
    // socket's set-up and tear-down); twice as many as asked when all of them came.
    this.ringAsk = Math.min(RING_ACCEPTS, got === m ? 2 * m : Math.max(1, got));
    if (outOfDescriptors) {
      this.shed();
      if (this.parkedAt >= 0 && this.ringRearmed) this.epoll.disarmListener(this.listenFd);
    }
    if (!this.ringRearmed) this.rearm();
    return m - got;
  }

  /** Re-arm a listener left disarmed for want of a spare descriptor, once RETRY_MS have passed. */
  retry(): void {
    if (this.parkedAt < 0 || performance.now() - this.parkedAt < RETRY_MS) return;
    if (this.spare < 0) this.spare = this.libc.eventfd(0, EFD_CLOEXEC);
    this.parkedAt = -1;
    this.rearm();
  }

  /**
   * This worker is dying of an error: a listener it left disarmed (parked for want of a spare
   * descriptor, or taken by ONESHOT in a wake-up the error cut short) would otherwise stay so,
   * and no worker would accept again. Re-arming an armed listener changes nothing; re-arming one
   * another worker is accepting from lets a second accept beside it for that burst (harmless:
   * accept4 is non-blocking).
   */
  abandon(): void {
    this.parkedAt = -1;
    this.rearm();
  }

  /** No new connections: the listener stays disarmed once the current burst is done. */
  stop(): void {
    this.accepting = false;
  }

  dispose(): void {
    if (this.spare >= 0) this.libc.close(this.spare);
    this.spare = -1;
  }

  /** Out of descriptors: reset what waits in the queue through the spare descriptor's room. */
  private shed(): void {
    if (this.spare >= 0) {
      this.libc.close(this.spare);
      for (let i = 0; i < SHED_MAX; i++) {
        const fd = this.libc.accept4(this.listenFd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) break; // the queue is empty, or another thread took the freed descriptor
        this.limits.reset(fd);
        this.counters[C_REJECTED]++;
      }
      this.spare = this.libc.eventfd(0, EFD_CLOEXEC);
    }
    if (this.spare < 0) this.parkedAt = performance.now();
  }

  private rearm(): void {
    if (this.mayRearm()) this.epoll.armListener(this.listenFd);
  }

  private mayRearm(): boolean {
    return this.accepting && this.parkedAt < 0 && !this.table.stopping();
  }
}
