/**
 * A send made with one send() call. It is tried at once and completes inline when the socket takes
 * the bytes (like FILE_SKIP_COMPLETION_PORT_ON_SUCCESS); a send that has to wait arms EPOLLOUT on
 * the session's dup() and completes when that fires. The echo of this wait's scratch receive goes
 * out from scratch, and only what the socket does not take is copied into the ring.
 */
import { OP_SEND, POST_FAILED, POST_PENDING, STATUS_LOCAL_FAILURE, type CompletionBatch } from '../completion.js';
import { F_HANDLE, F_SEND_LEN, F_SEND_OFF, type SessionTable } from '../sessionTable.js';
import { MSG_DONTWAIT, MSG_NOSIGNAL, errno, type Libc } from '../../native/linux/libc.js';
import { EAGAIN, EINTR } from '../../native/linux/errno.js';
import type { EchoRings } from './echoRings.js';
import type { EpollSet } from './epollSet.js';
import { NOT_FROM_SCRATCH, type ScratchEcho } from './scratchEcho.js';

const SEND_FLAGS = MSG_NOSIGNAL | MSG_DONTWAIT;

export class Sender {
  private readonly i32: Int32Array;

  constructor(
    private readonly libc: Libc,
    private readonly table: SessionTable,
    private readonly rings: EchoRings,
    private readonly scratch: ScratchEcho,
    private readonly epoll: EpollSet,
    private readonly naive: boolean,
  ) {
    this.i32 = table.i32;
  }

  /** Send ring[offset, offset+len): the bytes sent inline, POST_PENDING, or POST_FAILED. */
  post(slot: number, gen: number, offset: number, len: number): number {
    const from = this.scratch.sourceFor(slot, gen, offset, len);
    if (from !== NOT_FROM_SCRATCH) return this.postFromScratch(slot, gen, offset, len, from);
    const r = this.libc.send(this.i32[this.table.base(slot) + F_HANDLE], this.rings.address(slot, offset), len, SEND_FLAGS);
    if (r >= 0) return r;
    const e = errno();
    if (e !== EAGAIN && e !== EINTR) return POST_FAILED;
    return this.pend(slot, gen, offset, len);
  }

  /** The echo of what this worker just received: send it from where it is. */
  private postFromScratch(slot: number, gen: number, offset: number, len: number, from: number): number {
    const r = this.libc.send(this.i32[this.table.base(slot) + F_HANDLE], from, len, SEND_FLAGS);
    if (r === len) return r;
    const e = r < 0 ? errno() : 0;
    if (r < 0 && e !== EAGAIN && e !== EINTR) return POST_FAILED;
    // What the socket did not take waits in the ring, where the rest of the echo is sent from.
    const sent = r > 0 ? r : 0;
    this.libc.memcpy(this.rings.address(slot, offset + sent), from + sent, len - sent);
    if (r > 0) return r;
    return this.pend(slot, gen, offset, len);
  }

  /** The socket took nothing: describe the send and wait for EPOLLOUT. */
  private pend(slot: number, gen: number, offset: number, len: number): number {
    const b = this.table.base(slot);
    this.i32[b + F_SEND_OFF] = offset;
    this.i32[b + F_SEND_LEN] = len;
    return this.epoll.armSend(slot, gen) ? POST_PENDING : POST_FAILED;
  }

  /**
   * The send registration of (slot, gen) fired: retry the pending send. True when batch[out]
   * holds its completion; false when it had to wait again (re-armed).
   */
  onEdge(batch: CompletionBatch, out: number, slot: number, gen: number): boolean {
    batch.op[out] = OP_SEND;
    batch.slot[out] = slot;
    batch.gen[out] = gen;
    batch.bytes[out] = 0;
    batch.status[out] = 0;
    // A generation that no longer matches is reported as it is: the engine counts it as stale
    // and touches nothing (the naive lifetime, like the tutorial, does not look).
    if (!this.naive && this.table.generation(slot) !== gen) return true;
    const b = this.table.base(slot);
    const r = this.libc.send(
      this.i32[b + F_HANDLE],
      this.rings.address(slot, this.i32[b + F_SEND_OFF]),
      this.i32[b + F_SEND_LEN],
      SEND_FLAGS,
    );
    if (r >= 0) {
      batch.bytes[out] = r;
      return true;
    }
    const e = errno();
    if ((e === EAGAIN || e === EINTR) && this.epoll.armSend(slot, gen)) return false;
    batch.status[out] = e || STATUS_LOCAL_FAILURE; // errno 0: failed all the same
    return true;
  }
}
