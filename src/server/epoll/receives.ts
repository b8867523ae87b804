/**
 * Running a claimed receive: where its bytes go (this worker's scratch for an echoAtOnce receive
 * that fits, else the session's ring), the recv() loop, and its completion. Also the synthetic
 * edges: receives posted on sockets already known to be readable, which no kernel edge will
 * announce, run at this worker's next wait() like edges from the kernel.
 */
import { OP_RECV, STATUS_LOCAL_FAILURE, type CompletionBatch } from '../completion.js';
import { F_HANDLE, F_RECV_LEN, F_RECV_OFF, type SessionTable } from '../sessionTable.js';
import { errno, type Libc } from '../../native/linux/libc.js';
import { EAGAIN, EINTR } from '../../native/linux/errno.js';
import type { EchoRings } from './echoRings.js';
import { claimOnEdge, noteRead, rearmAfterEmptyRead } from './edges.js';
import { NOT_IN_SCRATCH, type ScratchEcho } from './scratchEcho.js';

/** Describe the receive posted on the slot; a negative length marks it echoAtOnce. */
export function describeReceive(i32: Int32Array, b: number, offset: number, len: number, echoAtOnce: boolean): void {
  i32[b + F_RECV_OFF] = offset;
  i32[b + F_RECV_LEN] = echoAtOnce ? -len : len;
}

/** The posted receive's length, echoAtOnce or not. */
export function receiveLength(i32: Int32Array, b: number): number {
  const len = i32[b + F_RECV_LEN];
  return len < 0 ? -len : len;
}

/** Whether the posted receive may read into scratch (describeReceive). */
export function receiveEchoesAtOnce(i32: Int32Array, b: number): boolean {
  return i32[b + F_RECV_LEN] < 0;
}

export class Receiver {
  private readonly i32: Int32Array;
  // Synthetic edges not yet run, oldest at readyHead.
  private readonly readySlots: number[] = [];
  private readonly readyGens: number[] = [];
  private readyHead = 0;

  constructor(
    private readonly libc: Libc,
    private readonly table: SessionTable,
    private readonly rings: EchoRings,
    private readonly scratch: ScratchEcho,
    private readonly naive: boolean,
  ) {
    this.i32 = table.i32;
  }

  /**
   * An edge for (slot, gen), `hangup` when it reported EPOLLRDHUP, EPOLLHUP or EPOLLERR: claim
   * the posted receive and open its completion in batch[out] (true), or leave READY for the next
   * post (false).
   */
  claim(batch: CompletionBatch, out: number, slot: number, gen: number, hangup = false): boolean {
    // An edge is readiness, not an operation: it may belong to a socket already closed (its slot
    // freed, even reused; a held close keeps it registered until the closing worker's next wait).
    // Such an edge carries an older generation and says nothing of the slot's current owner: it
    // neither marks the owner's hangup nor claims its receive (which may be waiting for its
    // registration to be made, uringBatch.ts). In the reference-counted lifetime two checks see
    // to that. The claim compares the edge with the word's owner in the compare-and-swap that
    // claims (edges.ts), so a slot taken again while this worker stood between the two cannot
    // lose its receive to the edge. The check of the table's generation before it drops the edges
    // of a slot freed but not yet taken again, whose word still names its last owner: only a
    // fault lifetime frees a slot whose receive is still posted (and an edge that passed the
    // check just before such a free still runs it, one of the faults the zoo shows, reported
    // under the edge's generation: stale). After both checks the claimed receive is the edge's
    // own generation's, which cannot change while its receive holds a reference. The naive
    // lifetime looks at none of this and reports the edge's generation too: the tutorial trusts
    // whatever the kernel hands back.
    if (!this.naive && gen !== this.table.generation(slot)) return false;
    if (!claimOnEdge(this.i32, this.table.base(slot), gen, hangup, this.naive)) return false;
    batch.op[out] = OP_RECV;
    batch.slot[out] = slot;
    batch.gen[out] = gen;
    batch.bytes[out] = 0;
    batch.status[out] = 0;
    return true;
  }

  /** Run the receive claim() opened in batch[out] with recv(): true once it has an outcome, false if it went back to pending. */
  readNow(batch: CompletionBatch, out: number): boolean {
    const slot = batch.slot[out];
    const b = this.table.base(slot);
    const len = receiveLength(this.i32, b);
    const at = receiveEchoesAtOnce(this.i32, b) ? this.scratch.room(len) : NOT_IN_SCRATCH;
    const addr = at === NOT_IN_SCRATCH ? this.rings.address(slot, this.i32[b + F_RECV_OFF]) : this.scratch.address(at);
    if (!this.read(batch, out, b, addr, len, at)) return false;
    // Scratch is taken as far as the read went (io_uring batches take theirs up front).
    if (at !== NOT_IN_SCRATCH) this.scratch.take(batch.bytes[out]);
    return true;
  }

  /** recv() into addr until the claimed receive has an outcome; false if it went back to pending. */
  read(batch: CompletionBatch, out: number, b: number, addr: number, len: number, at: number): boolean {
    for (;;) {
      const r = this.libc.recv(this.i32[b + F_HANDLE], addr, len, 0);
      if (r >= 0) {
        this.received(batch, out, b, r, len, at);
        return true;
      }
      const e = errno();
      if (e !== EAGAIN && e !== EINTR) {
        batch.status[out] = e || STATUS_LOCAL_FAILURE; // errno 0: failed all the same
        return true;
      }
      if (rearmAfterEmptyRead(this.i32, b)) return false;
    }
  }

  /** A claimed receive read r >= 0 of len bytes (into scratch at `at`, unless NOT_IN_SCRATCH): its completion. */
  received(batch: CompletionBatch, out: number, b: number, r: number, len: number, at: number): void {
    batch.bytes[out] = r;
    if (at !== NOT_IN_SCRATCH && r > 0) this.scratch.remember(batch.slot[out], batch.gen[out], at, r, this.i32[b + F_RECV_OFF]);
    noteRead(this.i32, b, r, len);
  }

  /** A receive was posted on a socket already known to be readable: queue its edge. */
  queueEdge(slot: number, gen: number): void {
    this.readySlots.push(slot);
    this.readyGens.push(gen);
  }

  hasQueuedEdges(): boolean {
    return this.readyHead < this.readySlots.length;
  }

  /** Run queued edges, as many as the batch has room for; returns the completions they made. */
  runQueuedEdges(batch: CompletionBatch): number {
    let out = 0;
    while (this.readyHead < this.readySlots.length && out < batch.op.length) {
      const slot = this.readySlots[this.readyHead];
      if (this.claim(batch, out, slot, this.readyGens[this.readyHead]) && this.readNow(batch, out)) out++;
      this.readyHead++;
    }
    if (this.readyHead === this.readySlots.length) {
      this.readySlots.length = 0;
      this.readyGens.length = 0;
      this.readyHead = 0;
    }
    return out;
  }
}
