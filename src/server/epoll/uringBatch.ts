/**
 * One worker's io_uring batching. The receives its edges claim in one wait are made together in
 * one io_uring_enter; the sends the engine posts while it handles a batch are queued
 * (POST_QUEUED) and made together at the worker's next wait(), whose completions they are. Each
 * entry is the same non-blocking recv() or send() as without the ring, done before the call
 * returns: nothing the kernel holds outlives it, so every lifetime rule is unchanged. A queued
 * send the socket refuses (EAGAIN) completes with 0 bytes and marks the slot, so the engine's
 * retry is a plain send() that arms EPOLLOUT and goes pending the usual way.
 *
 * A new session's receive registration (EPOLL_CTL_ADD) is held the same way where the kernel
 * runs epoll_ctl through the ring: the receive is pending from its post, as it would be after a
 * plain registration, and one that fails completes at the next wait() with the failure the plain
 * path reports at once. Until then no edge can come, and an edge that comes once it is made
 * claims the receive as usual (a readable or shut-down socket reports one at once).
 *
 * A session's close() (with SO_LINGER first for a reset) is held the same way where the kernel
 * runs those through the ring (probed apart): it goes with the queued sends at the next wait(),
 * after them, so a worker whose connections churn makes one call for a batch of closes instead of
 * one each. Holding is safe: the engine closes a handle only when no operation is pending on it,
 * so nothing queued uses the descriptor, and the slot no longer names it (F_HANDLE is -1); the
 * held descriptor keeps its number, so no new socket can take it before the close is made. An
 * edge from it meanwhile carries the old (slot, generation), and a receive edge of an older
 * generation neither claims the slot's receive nor marks its hangup (edges.ts): so a session
 * whose registration is held cannot be run by another socket's edge before it is made.
 *
 * A wait's accepts, where the kernel makes them without waiting, go in the ring call that carries
 * its receives (accept.ts says how).
 */
import { OP_RECV, OP_SEND, STATUS_LOCAL_FAILURE, type CompletionBatch } from '../completion.js';
import { C_RING_CALLS, C_RING_CLOSES, C_RING_OPS } from '../counters.js';
import { F_HANDLE, F_RECV_OFF, type SessionTable } from '../sessionTable.js';
import { EPOLL_CTL_ADD, EPOLL_CTL_MOD, MSG_NOSIGNAL, SO_LINGER, SOCK_CLOEXEC, SOCK_NONBLOCK, SOL_SOCKET, type Libc } from '../../native/linux/libc.js';
import { allocArena, freeArena, viewMemory } from '../../native/memory.js';
import { EAGAIN, EINTR } from '../../native/linux/errno.js';
import { Uring, acceptSupported } from '../../native/linux/uring.js';
import type { EchoRings } from './echoRings.js';
import { EPOLL_EVENT_SIZE } from './dataWord.js';
import { rearmAfterEmptyRead, unregister } from './edges.js';
import { MAX_EVENTS, writeListenerEvent, writeRecvEvent, type EpollSet } from './epollSet.js';
import { receiveEchoesAtOnce, receiveLength, type Receiver } from './receives.js';
import { NOT_FROM_SCRATCH, NOT_IN_SCRATCH, type ScratchEcho } from './scratchEcho.js';

/** Sends queued between two waits at most (a dispatch posts at most one per completion). */
const SEND_QUEUE = 256;
/** The most one claimed echoAtOnce receive reads into scratch (a full one leaves READY for the rest). */
const SCRATCH_SLICE = 16 * 1024;
/** Scratch a batching worker needs: one slice per event of a wait. */
export const BATCHED_SCRATCH_BYTES = MAX_EVENTS * SCRATCH_SLICE;
/** A batch entry whose receive went back to pending, or an accept that found no connection: no completion, dropped before wait() returns. */
export const OP_DROPPED = -1;
/** Ring results of a wait's accepts start here (its receives' are 0 to MAX_EVENTS - 1). */
export const ACCEPT_TAG = MAX_EVENTS;
/** Accepts one wait makes through the ring at most. */
export const RING_ACCEPTS = 64;

/** What makes a wait's accepts through the ring: fills the entries it reserved from the results. */
export interface RingAccepts {
  /** After the ring call: each accept's result into its reserved entry (or OP_DROPPED); returns how many were dropped. */
  complete(batch: CompletionBatch, results: Int32Array): number;
}
/** Closes held between two waits at most; one more is made at once. */
const CLOSE_QUEUE = 64;
/** Receive registrations held between two waits at most; one more is made at once. */
const ADD_QUEUE = 64;

export class UringBatch {
  private readonly results: Int32Array;
  private readonly i32: Int32Array;
  // Receives prepared in this wait, by ring entry: where they read, how much, their scratch
  // offset (NOT_IN_SCRATCH: into the ring) and their batch entry.
  private readonly rxAddr = new Float64Array(MAX_EVENTS);
  private readonly rxLen = new Int32Array(MAX_EVENTS);
  private readonly rxAt = new Int32Array(MAX_EVENTS);
  private readonly rxOut = new Int32Array(MAX_EVENTS);
  // Sends queued for the next wait, oldest first.
  private readonly txSlot = new Int32Array(SEND_QUEUE);
  private readonly txGen = new Int32Array(SEND_QUEUE);
  private readonly txOff = new Int32Array(SEND_QUEUE);
  private readonly txLen = new Int32Array(SEND_QUEUE);
  private readonly txFrom = new Float64Array(SEND_QUEUE);
  private txCount = 0;
  /** 1: a queued send this slot's socket refused, so its next send is a plain one. */
  private readonly sendPlain: Uint8Array;
  // Closes held for the next wait, and whether each resets (SO_LINGER {1, 0} first).
  private readonly closeFd = new Int32Array(CLOSE_QUEUE);
  private readonly closeRst = new Uint8Array(CLOSE_QUEUE);
  private closeCount = 0;
  /** Whether this kernel makes close(), and SO_LINGER, through the ring. */
  private readonly holdsCloses: boolean;
  private readonly holdsLinger: boolean;
  /** SO_LINGER {1, 0}, read by the kernel during the ring call. */
  private readonly lingerMem: { ptr: bigint; address: number } | null = null;
  // Receive registrations held for the next wait: the session, and its epoll_event (in addMem).
  private readonly addFd = new Int32Array(ADD_QUEUE);
  private readonly addSlot = new Int32Array(ADD_QUEUE);
  private readonly addGen = new Int32Array(ADD_QUEUE);
  private addCount = 0;
  private readonly addMem: { ptr: bigint; address: number } | null = null;
  private readonly addEvents: DataView | null = null;
  /** The listener's re-arm (EPOLLIN | EPOLLONESHOT), read by the kernel during the ring call. */
  private readonly listenerEvent: { ptr: bigint; address: number } | null = null;
  /** Whether a wait's accepts can go through the ring, with its receives (accept.ts). */
  readonly accepts: boolean;

  /** The ring a batching worker needs, or null where io_uring fails its probe (then every call is a plain one). */
  static openRing(): Uring | null {
    return Uring.open(Math.max(MAX_EVENTS, SEND_QUEUE));
  }

  constructor(
    private readonly uring: Uring,
    private readonly epoll: EpollSet,
    private readonly libc: Libc,
    private readonly table: SessionTable,
    private readonly rings: EchoRings,
    private readonly scratch: ScratchEcho,
    private readonly receiver: Receiver,
    private readonly counters: Float64Array,
  ) {
    this.results = new Int32Array(uring.capacity);
    this.i32 = table.i32;
    this.sendPlain = new Uint8Array(table.capacity);
    this.holdsCloses = uring.supports('close');
    this.holdsLinger = this.holdsCloses && uring.supports('setsockopt');
    if (this.holdsLinger) {
      this.lingerMem = allocArena(8);
      const v = new DataView(viewMemory(this.lingerMem.address, 8));
      v.setInt32(0, 1, true);
      v.setInt32(4, 0, true);
    }
    if (uring.supports('epollCtl')) {
      this.addMem = allocArena(ADD_QUEUE * EPOLL_EVENT_SIZE);
      this.addEvents = new DataView(viewMemory(this.addMem.address, ADD_QUEUE * EPOLL_EVENT_SIZE));
      this.listenerEvent = allocArena(EPOLL_EVENT_SIZE);
      writeListenerEvent(new DataView(viewMemory(this.listenerEvent.address, EPOLL_EVENT_SIZE)), 0);
    }
    this.accepts = acceptSupported() && uring.capacity >= ACCEPT_TAG + RING_ACCEPTS + 1;
  }

  /** Prepare the receive claimed in batch[out] as ring entry k (finishWait makes it). */
  prepRecv(batch: CompletionBatch, out: number, k: number): void {
    const slot = batch.slot[out];
    const b = this.table.base(slot);
    let len = receiveLength(this.i32, b);
    let at = NOT_IN_SCRATCH;
    if (receiveEchoesAtOnce(this.i32, b)) {
      const slice = Math.min(len, SCRATCH_SLICE);
      at = this.scratch.room(slice);
      if (at !== NOT_IN_SCRATCH) {
        this.scratch.take(slice);
        len = slice;
      }
    }
    const addr = at === NOT_IN_SCRATCH ? this.rings.address(slot, this.i32[b + F_RECV_OFF]) : this.scratch.address(at);
    this.rxAddr[k] = addr;
    this.rxLen[k] = len;
    this.rxAt[k] = at;
    this.rxOut[k] = out;
    this.uring.prepRecv(this.i32[b + F_HANDLE], addr, len, 0, k);
  }

  /**
   * Prepare `count` accepts on the listener (results from ACCEPT_TAG on) and, when `rearm` and
   * the ring can, the listener's re-arm after them; true if the re-arm was prepared.
   */
  prepAccepts(listenFd: number, count: number, rearm: boolean): boolean {
    for (let i = 0; i < count; i++) this.uring.prepAccept(listenFd, SOCK_NONBLOCK | SOCK_CLOEXEC, ACCEPT_TAG + i);
    if (!rearm || this.listenerEvent === null) return false;
    this.uring.prepEpollCtl(this.epoll.epfd, EPOLL_CTL_MOD, listenFd, this.listenerEvent.address, ACCEPT_TAG + count);
    return true;
  }

  /**
   * Make the n receives prepared, and the accepts beside them, in one call, and fill in their
   * completions. A receive that found nothing is re-armed, or, if an edge came meanwhile, read
   * again at once. Returns how many of the `filled` batch entries are left once those gone back
   * to pending, and accepts that found nothing, are dropped.
   */
  finishWait(batch: CompletionBatch, n: number, filled: number, accepts: RingAccepts | null): number {
    this.run(this.uring.prepared);
    let dropped = accepts === null ? 0 : accepts.complete(batch, this.results);
    for (let k = 0; k < n; k++) {
      const out = this.rxOut[k];
      const b = this.table.base(batch.slot[out]);
      const r = this.results[k];
      if (r >= 0) this.receiver.received(batch, out, b, r, this.rxLen[k], this.rxAt[k]);
      else if (r !== -EAGAIN && r !== -EINTR) batch.status[out] = -r;
      // Nothing there: pending again, or, if an edge came after the ring's read, read at once.
      else if (
        rearmAfterEmptyRead(this.i32, b) ||
        !this.receiver.read(batch, out, b, this.rxAddr[k], this.rxLen[k], this.rxAt[k])
      ) {
        batch.op[out] = OP_DROPPED;
        dropped++;
      }
    }
    return dropped > 0 ? dropDropped(batch, filled) : filled;
  }

  /**
   * Queue a send for the next wait(), from scratch when it is the echo of what this worker just
   * received there. False when it must be a plain send instead (the queue is full, or the
   * socket refused this slot's last queued send).
   */
  queueSend(slot: number, gen: number, offset: number, len: number): boolean {
    if (this.txCount >= SEND_QUEUE || this.sendPlain[slot] !== 0) {
      this.sendPlain[slot] = 0;
      return false;
    }
    const k = this.txCount++;
    const from = this.scratch.sourceFor(slot, gen, offset, len);
    this.txSlot[k] = slot;
    this.txGen[k] = gen;
    this.txOff[k] = offset;
    this.txLen[k] = len;
    this.txFrom[k] = from !== NOT_FROM_SCRATCH ? from : this.rings.address(slot, offset);
    return true;
  }

  /**
   * Hold close(fd), after SO_LINGER {1, 0} when `rst`, for the next wait. False when the caller
   * must make it now (the ring cannot, a reset's SO_LINGER cannot go in the ring, or the queue is
   * full).
   */
  holdClose(fd: number, rst: boolean): boolean {
    if (!this.holdsCloses || this.closeCount >= CLOSE_QUEUE || (rst && !this.holdsLinger)) return false;
    this.closeFd[this.closeCount] = fd;
    this.closeRst[this.closeCount] = rst ? 1 : 0;
    this.closeCount++;
    return true;
  }

  /**
   * Hold the receive registration of the session in `slot` (its first receive, just posted) for
   * the next wait. False when the caller must make it now (the ring cannot, or the queue is full).
   */
  holdRegistration(fd: number, slot: number, gen: number): boolean {
    if (this.addEvents === null || this.addCount >= ADD_QUEUE) return false;
    const i = this.addCount++;
    this.addFd[i] = fd;
    this.addSlot[i] = slot;
    this.addGen[i] = gen;
    writeRecvEvent(this.addEvents, i * EPOLL_EVENT_SIZE, slot, gen);
    return true;
  }

  /** Sends, registrations or closes wait for the next wait(). */
  hasQueued(): boolean {
    return this.txCount > 0 || this.addCount > 0 || this.closeCount > 0;
  }

  /**
   * Make the queued sends (as many as the batch has room for), the held registrations and the
   * held closes, in that order, in one call. Each send is a completion, and so is each receive
   * whose registration failed; returns how many (0 when nothing failed and no send was queued).
   * Bytes of a scratch send the socket did not take go to the ring, where the engine's next send
   * finds them.
   */
  flush(batch: CompletionBatch): number {
    const adds = this.addCount;
    const closeOps = this.closeOps();
    // A worker's batch (128) has room for every held registration's failure.
    const n = Math.max(0, Math.min(this.txCount, batch.op.length - adds, this.uring.capacity - adds - closeOps));
    for (let k = 0; k < n; k++) {
      this.uring.prepSend(this.i32[this.table.base(this.txSlot[k]) + F_HANDLE], this.txFrom[k], this.txLen[k], MSG_NOSIGNAL, k);
    }
    this.prepRegistrations(n);
    this.prepCloses(n + adds);
    this.run(n + adds + closeOps);
    for (let k = 0; k < n; k++) this.sent(batch, k);
    this.shiftQueue(n);
    return this.registered(batch, n, n);
  }

  /**
   * The worker is leaving: make the held registrations and closes (sends left queued are the
   * engine's to drop). A registration that fails now has no worker left to report it to.
   */
  close(): void {
    const adds = this.addCount;
    const ops = adds + this.closeOps();
    if (ops > 0) {
      this.prepRegistrations(0);
      this.prepCloses(adds);
      this.run(ops);
      this.addCount = 0;
    }
    this.uring.close();
    if (this.lingerMem) freeArena(this.lingerMem.ptr);
    if (this.addMem) freeArena(this.addMem.ptr);
    if (this.listenerEvent) freeArena(this.listenerEvent.ptr);
  }

  /**
   * The worker is dying of an error: make the held registrations and closes as plain calls, so
   * that the other workers serve those sessions and no descriptor outlives it. Closes that a
   * failed ring call had taken are left alone: the ring may have made them, and closing a number
   * twice could close a socket another thread has opened since (a descriptor may leak instead).
   * Its registrations are made again: one the ring made fails EEXIST, which changes nothing.
   */
  abandon(lingerZero: (fd: number) => void): void {
    for (let i = 0; i < this.addCount; i++) this.epoll.registerRecv(this.addFd[i], this.addSlot[i], this.addGen[i]);
    this.addCount = 0;
    for (let i = 0; i < this.closeCount; i++) {
      if (this.closeRst[i]) lingerZero(this.closeFd[i]);
      this.libc.close(this.closeFd[i]);
    }
    this.closeCount = 0;
  }

  /** Prepare the held registrations as ring entries from `tag` on (registered() reads their results). */
  private prepRegistrations(tag: number): void {
    const epfd = this.epoll.epfd;
    for (let i = 0; i < this.addCount; i++) {
      this.uring.prepEpollCtl(epfd, EPOLL_CTL_ADD, this.addFd[i], this.addMem!.address + i * EPOLL_EVENT_SIZE, tag + i);
    }
  }

  /**
   * The held registrations' results, from results[tag] on: each that failed unregisters its
   * receive and completes it, with a local failure, at batch[out...]. Returns the new `out`.
   */
  private registered(batch: CompletionBatch, tag: number, out: number): number {
    for (let i = 0; i < this.addCount; i++) {
      if (this.results[tag + i] >= 0) continue;
      const slot = this.addSlot[i];
      unregister(this.i32, this.table.base(slot));
      batch.op[out] = OP_RECV;
      batch.slot[out] = slot;
      batch.gen[out] = this.addGen[i];
      batch.bytes[out] = 0;
      batch.status[out] = STATUS_LOCAL_FAILURE;
      out++;
    }
    this.addCount = 0;
    return out;
  }

  /** Ring entries the held closes take (two for a reset). */
  private closeOps(): number {
    let ops = this.closeCount;
    for (let i = 0; i < this.closeCount; i++) ops += this.closeRst[i];
    return ops;
  }

  /** Prepare the held closes as ring entries from `tag` on, and empty the queue. */
  private prepCloses(tag: number): void {
    for (let i = 0; i < this.closeCount; i++) {
      const fd = this.closeFd[i];
      if (this.closeRst[i]) this.uring.prepSetsockopt(fd, SOL_SOCKET, SO_LINGER, this.lingerMem!.address, 8, tag++);
      this.uring.prepClose(fd, tag++);
    }
    this.counters[C_RING_CLOSES] += this.closeCount;
    this.closeCount = 0;
  }

  /** Queued send k's completion, as batch entry k. */
  private sent(batch: CompletionBatch, k: number): void {
    const slot = this.txSlot[k];
    const len = this.txLen[k];
    const from = this.txFrom[k];
    const to = this.rings.address(slot, this.txOff[k]);
    let r = this.results[k];
    batch.op[k] = OP_SEND;
    batch.slot[k] = slot;
    batch.gen[k] = this.txGen[k];
    batch.bytes[k] = 0;
    batch.status[k] = 0;
    if (r === -EAGAIN || r === -EINTR) {
      this.sendPlain[slot] = 1;
      r = 0;
    }
    if (r < 0) batch.status[k] = -r;
    else {
      batch.bytes[k] = r;
      if (r < len && from !== to) this.libc.memcpy(to + r, from + r, len - r);
    }
  }

  /** Drop the n sends just made from the front of the queue. */
  private shiftQueue(n: number): void {
    this.txCount -= n;
    if (this.txCount === 0) return;
    const end = n + this.txCount;
    this.txSlot.copyWithin(0, n, end);
    this.txGen.copyWithin(0, n, end);
    this.txOff.copyWithin(0, n, end);
    this.txLen.copyWithin(0, n, end);
    this.txFrom.copyWithin(0, n, end);
  }

  private run(n: number): void {
    this.uring.run(this.results);
    this.counters[C_RING_CALLS]++;
    this.counters[C_RING_OPS] += n;
  }
}

/** Close the gaps (OP_DROPPED) in the first n batch entries; returns how many are left. */
function dropDropped(batch: CompletionBatch, n: number): number {
  let w = 0;
  for (let k = 0; k < n; k++) {
    if (batch.op[k] === OP_DROPPED) continue;
    if (w !== k) {
      batch.op[w] = batch.op[k];
      batch.slot[w] = batch.slot[k];
      batch.gen[w] = batch.gen[k];
      batch.bytes[w] = batch.bytes[k];
      batch.status[w] = batch.status[k];
      batch.handle[w] = batch.handle[k];
    }
    w++;
  }
  return w;
}
