/**
 * The echo engine: what a worker does with each completion, written once for every backend.
 *
 * Each session keeps a receive posted while a send is pending (two operations in flight, which
 * may complete on two workers at once), echoing through a ring of `bufferSize` bytes. When the
 * ring is full the receive is not re-posted until a send drains it: TCP backpressure, and
 * bounded memory for clients that never read.
 *
 * Lifetime (README, "Session lifetime"), in `refcount` mode: a reference is taken before every post and
 * released once per outcome; close is a single OPEN -> CLOSING transition followed by a cancel;
 * the socket is closed and the slot freed only by whoever drops the last reference. In `naive`
 * mode the engine reproduces the classic tutorial bug on purpose: it frees the session on the
 * first failed or zero-byte completion while the other operation is still pending, and acts on
 * completions without checking their generation.
 */
import {
  CONTROL_CLOSE_ALL,
  CONTROL_EXIT,
  OP_ACCEPT,
  OP_CONTROL,
  OP_RECV,
  OP_SEND,
  POST_FAILED,
  STATUS_LOCAL_FAILURE,
  POST_PENDING,
  POST_QUEUED,
  type CompletionBatch,
  type PortBackend,
} from './completion.js';
import {
  C_ACCEPTED,
  C_BYTES_IN,
  C_BYTES_OUT,
  C_COMPLETED,
  C_COMPLETIONS,
  C_DOUBLE_FREES,
  C_FAILED,
  C_FREED,
  C_IDLE_CLOSED,
  C_POSTED,
  C_REJECTED,
  C_SEND_BACKPRESSURE,
  C_STALE,
} from './counters.js';
import {
  F_ACTIVE,
  F_COUNT,
  F_FLAGS,
  F_HEAD,
  FL_EOF,
  FL_RECV_POSTED,
  FL_RST,
  FL_SEND_POSTED,
  FL_SHUT_WR,
  STATE_OPEN,
  type SessionTable,
} from './sessionTable.js';
import { BugZoo } from './bugZoo.js';
import type { Lifetime } from './types.js';

export interface EngineOptions {
  bufferSize: number;
  lifetime: Lifetime;
  idleTimeoutMs: number;
}

export class EchoEngine {
  private readonly i32: Int32Array;
  private readonly size: number;
  private readonly naive: boolean;
  /** The fault put back on purpose (`--lifetime <fault>`); every flag false with `refcount`. */
  private readonly zoo: BugZoo;
  /** Only the idle timeout reads activity times: skip the clock when it is off. */
  private readonly tracksIdle: boolean;
  private lastIdleScan = 0;

  constructor(
    private readonly table: SessionTable,
    private readonly port: PortBackend,
    private readonly c: Float64Array,
    private readonly opts: EngineOptions,
  ) {
    this.i32 = table.i32;
    this.size = opts.bufferSize;
    this.naive = opts.lifetime === 'naive';
    this.zoo = new BugZoo(opts.lifetime);
    this.tracksIdle = opts.idleTimeoutMs > 0;
  }

  /** Run one batch of completions. Returns false once an exit sentinel was dequeued. */
  dispatch(batch: CompletionBatch, n: number): boolean {
    let keepRunning = true;
    for (let k = 0; k < n; k++) {
      const op = batch.op[k];
      this.c[C_COMPLETIONS]++;
      if (op === OP_RECV || op === OP_SEND) this.onCompletion(op, batch.slot[k], batch.gen[k], batch.bytes[k], batch.status[k]);
      else if (op === OP_ACCEPT) this.onAccept(batch.handle[k]);
      else if (op === OP_CONTROL) {
        if (batch.slot[k] === CONTROL_EXIT) keepRunning = false;
        else if (batch.slot[k] === CONTROL_CLOSE_ALL) this.closeAll();
      }
    }
    return keepRunning;
  }

  onAccept(handle: number): void {
    const t = this.table;
    if (t.stopping()) {
      this.port.reject(handle);
      return;
    }
    const slot = t.alloc(); // holds the accepting path's reference
    if (slot < 0) {
      this.port.reject(handle);
      this.c[C_REJECTED]++;
      return;
    }
    const gen = t.generation(slot);
    this.c[C_ACCEPTED]++;
    if (!this.port.attach(slot, gen, handle)) {
      t.beginClose(slot);
      this.release(slot);
      return;
    }
    t.lock(slot);
    this.i32[t.base(slot) + F_FLAGS] |= FL_RECV_POSTED;
    t.unlock(slot);
    this.startRecv(slot, gen, 0, this.size, true);
    // Stopping may have begun between the check above and the publication of this slot.
    if (t.stopping()) this.closeSession(slot, true);
    this.release(slot); // the accepting path's reference
  }

  /**
   * One completion of a session's receive or send: update the ring under the session's lock,
   * decide what to post next (a send while bytes wait, a receive while the ring has room and no
   * FIN came, our FIN once everything is echoed), then post outside the lock and drop this
   * operation's reference last, so the count cannot reach zero while a next operation is due.
   */
  private onCompletion(op: number, slot: number, gen: number, bytes: number, status: number): void {
    const t = this.table;
    const isRecv = op === OP_RECV;
    this.c[C_COMPLETED]++;
    if (status !== 0) this.c[C_FAILED]++;
    if (t.generation(slot) !== gen) {
      this.c[C_STALE]++;
      if (!this.naive) return; // the slot belongs to someone else now: touch nothing
    }
    if (this.naive && (status !== 0 || (isRecv && bytes === 0))) {
      this.naiveFree(slot);
      return;
    }
    const b = t.base(slot);
    const i = this.i32;
    let sendOff = -1;
    let sendLen = 0;
    let recvOff = -1;
    let recvLen = 0;
    let echoAtOnce = false;
    let finish = false;
    t.lock(slot);
    let flags = i[b + F_FLAGS] & ~(isRecv ? FL_RECV_POSTED : FL_SEND_POSTED);
    if (isRecv) {
      if (status !== 0 || bytes === 0) flags |= FL_EOF;
      else {
        i[b + F_COUNT] += bytes;
        this.c[C_BYTES_IN] += bytes;
      }
    } else if (status === 0) {
      // A failed send's byte count means nothing (Wine reports bytes already sent): ignore it.
      let head = i[b + F_HEAD] + bytes;
      if (head === this.size) head = 0;
      const count = (i[b + F_COUNT] -= bytes);
      this.c[C_BYTES_OUT] += bytes;
      // Rewind an empty ring so the next receive gets the whole buffer, unless a receive is
      // posted: its data lands at the old tail.
      if (count === 0 && (!(flags & FL_RECV_POSTED) || this.zoo.earlyRewind)) head = 0;
      i[b + F_HEAD] = head;
    }
    if (this.tracksIdle) i[b + F_ACTIVE] = t.now();
    if (status === 0 && t.state(slot) === STATE_OPEN) {
      const count = i[b + F_COUNT];
      const head = i[b + F_HEAD];
      if (count > 0 && !(flags & FL_SEND_POSTED)) {
        flags |= FL_SEND_POSTED;
        sendOff = head;
        sendLen = Math.min(count, this.size - head);
        // The receive is decided after the send is posted (recvBesideSend), not here. The
        // tutorial (naive) posts both at once, as most IOCP samples do.
      }
      // A receive paused on a full ring resumes as soon as a send made room.
      if (sendOff < 0 || this.naive) recvOff = this.recvAt(flags, head, count);
      if (recvOff >= 0) {
        flags |= FL_RECV_POSTED;
        recvLen = Math.min(this.size - count, this.size - recvOff);
        echoAtOnce = count === 0 && !(flags & FL_SEND_POSTED);
      }
      if (flags & FL_EOF && count === 0 && !(flags & (FL_SEND_POSTED | FL_RECV_POSTED))) finish = true;
    }
    i[b + F_FLAGS] = flags;
    t.unlock(slot);
    if (sendOff >= 0 && this.startSend(slot, gen, sendOff, sendLen) === POST_PENDING && !this.naive) this.recvBesideSend(slot, gen);
    if (recvOff >= 0) this.startRecv(slot, gen, recvOff, recvLen, echoAtOnce);
    if (finish) this.finish(slot);
    else if (status !== 0) {
      // A post that failed at once cuts the echo short: a reset says so, where a FIN would pass for
      // a clean end. A completion with the OS's error (mostly the peer's reset: the connection is
      // gone already) closes without; the reset would cost a system call for each (STATUS_LOCAL_FAILURE).
      this.closeSession(slot, status === STATUS_LOCAL_FAILURE);
      if (this.zoo.doubleRelease) this.release(slot);
    }
    this.release(slot); // this operation's reference
  }

  /**
   * A send went pending: keep a receive posted beside it (two operations in flight). A send
   * that completed at once has made this decision already, in its own completion, on a ring it
   * could rewind because no receive was posted yet: echoes then reuse the start of the ring
   * instead of walking through all of it, so a session touches only the memory its messages need.
   */
  private recvBesideSend(slot: number, gen: number): void {
    const t = this.table;
    const b = t.base(slot);
    const i = this.i32;
    t.lock(slot);
    const flags = i[b + F_FLAGS];
    const count = i[b + F_COUNT];
    const off = t.state(slot) === STATE_OPEN ? this.recvAt(flags, i[b + F_HEAD], count) : -1;
    if (off >= 0) i[b + F_FLAGS] = flags | FL_RECV_POSTED;
    t.unlock(slot);
    // Beside a pending send the received bytes wait in the ring for it: never echoAtOnce.
    if (off >= 0) this.startRecv(slot, gen, off, Math.min(this.size - count, this.size - off), false);
  }

  /** Ring offset for a receive now due (after `count` bytes from `head`), or -1 if none is. */
  private recvAt(flags: number, head: number, count: number): number {
    return flags & (FL_EOF | FL_RECV_POSTED) || count >= this.size ? -1 : (head + count) % this.size;
  }

  /**
   * Close a session: one OPEN -> CLOSING transition, then cancel whatever is pending. The slot is
   * freed by whoever drops the last reference (release()), never here.
   */
  closeSession(slot: number, rst: boolean): boolean {
    const t = this.table;
    if (!t.beginClose(slot)) return false;
    t.lock(slot);
    const b = t.base(slot) + F_FLAGS;
    const flags = rst ? (this.i32[b] |= FL_RST) : this.i32[b];
    t.unlock(slot);
    // Nothing pending, nothing to cancel (a reset or a finished echo: the common case). A post
    // racing with this close sees CLOSING after it and cancels itself (afterPost).
    if (flags & (FL_RECV_POSTED | FL_SEND_POSTED)) this.port.cancel(slot, rst && !(flags & FL_SEND_POSTED));
    return true;
  }

  /** Close a session this thread holds no reference of (shutdown, idle scan). */
  private closeUnowned(slot: number, rst: boolean, stillWanted: () => boolean): boolean {
    if (!this.takeUnowned(slot)) return false; // nothing pending: it is being freed already
    const closed = this.table.state(slot) === STATE_OPEN && stillWanted() && this.closeSession(slot, rst);
    if (!this.naive) this.release(slot);
    return closed;
  }

  /** A reference for a closer that owns no operation; the zoo's revive-zero takes it even at zero. */
  private takeUnowned(slot: number): boolean {
    if (!this.zoo.reviveZero) return this.table.tryAcquire(slot);
    this.zoo.widen(); // the last reference is dropped meanwhile
    this.table.acquire(slot);
    return true;
  }

  /** Shutdown path: close every open session. */
  closeAll(): void {
    for (let s = 0; s < this.table.capacity; s++) {
      if (this.table.state(s) === STATE_OPEN) this.closeUnowned(s, true, () => true);
    }
  }

  /** Reset sessions with no completion for idleTimeoutMs. Cheap to call often. */
  scanIdle(): void {
    const idle = this.opts.idleTimeoutMs;
    if (idle <= 0) return;
    const t = this.table;
    const now = t.now();
    // The clock is 32-bit and wraps after 24.9 days: elapsed times are taken modulo 2^32.
    if (((now - this.lastIdleScan) | 0) < Math.min(idle / 2, 1000)) return;
    this.lastIdleScan = now;
    const isIdle = (s: number) => ((now - this.i32[t.base(s) + F_ACTIVE]!) | 0) >= idle;
    for (let s = 0; s < t.capacity; s++) {
      if (t.state(s) !== STATE_OPEN || !isIdle(s)) continue;
      if (this.closeUnowned(s, true, () => isIdle(s))) this.c[C_IDLE_CLOSED]++;
    }
  }

  private startRecv(slot: number, gen: number, off: number, len: number, echoAtOnce: boolean): void {
    this.acquireForPost(slot); // released by onCompletion, inline or when the completion arrives
    this.c[C_POSTED]++;
    const r = this.port.postRecv(slot, gen, off, len, echoAtOnce);
    this.acquireLate(slot);
    this.afterPost(slot, gen, r, OP_RECV);
  }

  /**
   * Returns the post's result: POST_PENDING, POST_QUEUED (no receive goes beside it: like an
   * inline send, its completion decides), or the inline outcome (already handled).
   */
  private startSend(slot: number, gen: number, off: number, len: number): number {
    this.acquireForPost(slot); // released by onCompletion, inline or when the completion arrives
    this.c[C_POSTED]++;
    const r = this.port.postSend(slot, gen, off, len);
    this.acquireLate(slot);
    if (r === POST_PENDING) this.c[C_SEND_BACKPRESSURE]++;
    this.afterPost(slot, gen, r, OP_SEND);
    return r;
  }

  /** The operation's reference, taken before the OS call (the zoo's late-acquire takes it after). */
  private acquireForPost(slot: number): void {
    if (this.naive) return;
    if (this.zoo.noRecheck) this.zoo.widen(); // a close lands between the decision and the post
    if (!this.zoo.lateAcquire) this.table.acquire(slot);
  }

  /** The zoo's late-acquire: the completion may already have run (and freed the slot) meanwhile. */
  private acquireLate(slot: number): void {
    if (!this.zoo.lateAcquire) return;
    this.zoo.widen();
    this.table.acquire(slot);
  }

  private afterPost(slot: number, gen: number, r: number, op: number): void {
    if (r === POST_PENDING || r === POST_QUEUED) {
      // A close that raced with this post may have cancelled before the post: cancel again.
      if (this.table.state(slot) !== STATE_OPEN && !this.zoo.noRecheck) this.port.cancel(slot, false);
      return;
    }
    // No packet will come for an inline result: complete it here.
    const bytes = r >= 0 ? r : 0;
    const status = r === POST_FAILED ? STATUS_LOCAL_FAILURE : 0;
    this.onCompletion(op, slot, gen, bytes, status);
  }

  /** Everything was echoed and the peer sent its FIN: send ours, then close. */
  private finish(slot: number): void {
    const t = this.table;
    t.lock(slot);
    const b = t.base(slot);
    const first = !(this.i32[b + F_FLAGS] & FL_SHUT_WR);
    this.i32[b + F_FLAGS] |= FL_SHUT_WR;
    t.unlock(slot);
    if (first) this.port.shutdownSend(slot);
    this.closeSession(slot, false);
  }

  private release(slot: number): void {
    if (this.naive) return;
    if (!this.table.release(slot)) return;
    const t = this.table;
    if (t.state(slot) === STATE_OPEN) {
      // Every open session has an operation pending; reaching zero while open means a path
      // forgot to post. Close rather than leak.
      t.beginClose(slot);
    }
    const rst = (this.i32[t.base(slot) + F_FLAGS] & FL_RST) !== 0;
    this.port.closeHandle(slot, rst);
    if (t.free(slot)) this.c[C_FREED]++;
    else this.c[C_DOUBLE_FREES]++;
  }

  /** The tutorial's bug: free now, whatever is still pending on this session. */
  private naiveFree(slot: number): void {
    this.port.closeHandle(slot, false);
    if (this.table.free(slot)) this.c[C_FREED]++;
    else this.c[C_DOUBLE_FREES]++;
  }
}
