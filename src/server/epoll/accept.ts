/**
 * Accepting on the listener every worker shares. It is registered EPOLLONESHOT, so one worker at
 * a time accepts a burst (up to --accept-depth per wake-up) and then re-arms it for the next.
 */
import { OP_ACCEPT, type CompletionBatch } from '../completion.js';
import { C_ACCEPT_FAILURES } from '../counters.js';
import type { SessionTable } from '../sessionTable.js';
import { SOCK_CLOEXEC, SOCK_NONBLOCK, errno, type Libc } from '../../native/linux/libc.js';
import { EAGAIN, EINTR, EMFILE, ENFILE } from '../../native/linux/errno.js';
import type { EpollSet } from './epollSet.js';

/** An accept's completion names no slot yet: the engine allocates one. */
const NO_SLOT = -1;

export class Acceptor {
  private accepting = true;

  constructor(
    private readonly libc: Libc,
    private readonly listenFd: number,
    private readonly depth: number,
    private readonly table: SessionTable,
    private readonly epoll: EpollSet,
    private readonly counters: Float64Array,
  ) {}

  /** Accept up to `room` connections into batch[out...], each an OP_ACCEPT completion; returns how many. */
  accept(batch: CompletionBatch, out: number, room: number): number {
    let n = 0;
    const limit = Math.min(room, this.depth);
    while (n < limit && this.accepting) {
      const fd = this.libc.accept4(this.listenFd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        const e = errno();
        if (e === EAGAIN || e === EINTR) break;
        this.counters[C_ACCEPT_FAILURES]++;
        // Out of descriptors: stop for this wake-up rather than spin on the same error.
        if (e === EMFILE || e === ENFILE) break;
        continue;
      }
      batch.op[out + n] = OP_ACCEPT;
      batch.handle[out + n] = fd;
      batch.slot[out + n] = NO_SLOT;
      batch.status[out + n] = 0;
      n++;
    }
    if (this.accepting && !this.table.stopping()) this.epoll.armListener(this.listenFd);
    return n;
  }

  /** No new connections: the listener stays disarmed once the current burst is done. */
  stop(): void {
    this.accepting = false;
  }
}
