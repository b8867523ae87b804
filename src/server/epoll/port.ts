/**
 * Worker half of the epoll backend: the completion contract (completion.ts) emulated over
 * readiness, wired from this folder's parts. Each operation has its own registration and data
 * word (dataWord.ts, epollSet.ts): the receive on the socket, claimed by edges (edges.ts,
 * receives.ts), the send on a dup() of it (sends.ts); echoes skip the ring through scratch
 * (scratchEcho.ts), and calls are batched where io_uring passes its probe (uringBatch.ts). The
 * README's "The completion contract" tells the whole story.
 */
import {
  CONTROL_CLOSE_ALL,
  CONTROL_EXIT,
  OP_ACCEPT,
  OP_CONTROL,
  OP_RECV,
  OP_SEND,
  POST_FAILED,
  POST_PENDING,
  POST_QUEUED,
  type CompletionBatch,
  type PortBackend,
  type WorkerInit,
} from '../completion.js';
import { C_RING_WORKERS } from '../counters.js';
import { F_AUX, F_HANDLE, type SessionTable } from '../sessionTable.js';
import {
  IPPROTO_TCP,
  SHUT_RD,
  SHUT_RDWR,
  SHUT_WR,
  SO_LINGER,
  SO_SNDBUF,
  SOL_SOCKET,
  TCP_NODELAY,
  loadLibc,
  type Libc,
} from '../../native/linux/libc.js';
import { allocArena, freeArena, viewMemory } from '../../native/memory.js';
import { Acceptor } from './accept.js';
import { EPOLL_EVENT_SIZE, eventFlags, eventGen, eventOp, eventSlot } from './dataWord.js';
import { EchoRings } from './echoRings.js';
import { RECV_READABLE, RECV_UNREGISTERED, armReceive, ownFlags, unregister } from './edges.js';
import { EpollSet, HANGUP_EVENTS } from './epollSet.js';
import { Receiver, describeReceive } from './receives.js';
import { RunTokens, RunTurns } from './runTokens.js';
import { ScratchEcho } from './scratchEcho.js';
import { Sender } from './sends.js';
import { BATCHED_SCRATCH_BYTES, UringBatch } from './uringBatch.js';

export function createEpollPort(init: WorkerInit, table: SessionTable, counters: Float64Array): PortBackend {
  return new EpollPort(init, table, counters);
}

class EpollPort implements PortBackend {
  private readonly libc: Libc;
  private readonly i32: Int32Array;
  private readonly naive: boolean;
  /** SO_SNDBUF for accepted sockets; 0 = the OS default. */
  private readonly sendBuffer: number;
  private readonly closeAllFd: number;
  private readonly epoll: EpollSet;
  private readonly turns: RunTurns;
  private readonly scratch: ScratchEcho;
  private readonly receiver: Receiver;
  private readonly sender: Sender;
  /** null: one system call each (naive lifetime, --no-io-uring, or no io_uring here). */
  private readonly uring: UringBatch | null;
  private readonly acceptor: Acceptor;
  /** Option values for setsockopt, and the count a close-all eventfd read returns. */
  private readonly optMem: { ptr: bigint; address: number };
  private readonly opt: DataView;
  /**
   * Whether accepted sockets come with the listener's TCP_NODELAY (Linux copies it into each):
   * null until this worker's first accepted socket has been looked at; false sets it on each.
   */
  private nodelayInherited: boolean | null = null;

  constructor(
    init: WorkerInit,
    private readonly table: SessionTable,
    counters: Float64Array,
  ) {
    const libc = (this.libc = loadLibc());
    this.i32 = table.i32;
    this.naive = init.options.lifetime === 'naive';
    this.sendBuffer = init.options.sendBuffer;
    this.closeAllFd = init.native.closeAllFd as number;
    const rings = new EchoRings(init.native.arena as number, init.options.bufferSize);
    const ring = this.naive || !init.options.ioUring ? null : UringBatch.openRing();
    if (ring) counters[C_RING_WORKERS] = 1;
    const fdCeiling = init.native.fdCeiling as number;
    this.epoll = new EpollSet(libc, init.native.epfd as number, table, fdCeiling, counters);
    this.turns = new RunTurns(new RunTokens(init.native.runTokens as SharedArrayBuffer));
    this.scratch = new ScratchEcho(libc, rings, table.capacity, !this.naive, ring ? BATCHED_SCRATCH_BYTES : 0);
    this.receiver = new Receiver(libc, table, rings, this.scratch, this.naive);
    this.sender = new Sender(libc, table, rings, this.scratch, this.epoll, this.naive);
    this.uring = ring && new UringBatch(ring, this.epoll, libc, table, rings, this.scratch, this.receiver, counters);
    const listenFd = init.native.listenFd as number;
    this.acceptor = new Acceptor(libc, listenFd, init.options.acceptDepth, table, this.epoll, counters, {
      fdCeiling,
      reset: (fd) => this.reject(fd),
    });
    this.optMem = allocArena(16);
    this.opt = new DataView(viewMemory(this.optMem.address, 16));
  }

  wait(batch: CompletionBatch, timeoutMs: number): number {
    // Sends queued while the last batch was handled go first (some may be from scratch), with
    // the registrations and closes held since; with no completion among them, the wait goes on.
    if (this.uring !== null && this.uring.hasQueued()) {
      const sent = this.uring.flush(batch);
      if (sent > 0) return sent;
    }
    this.scratch.nextWait();
    this.acceptor.retry();
    // Receives posted on already readable sockets are this worker's own work, queued while it
    // held its run token: run them first (they never wait behind a yield).
    if (this.receiver.hasQueuedEdges()) {
      const out = this.receiver.runQueuedEdges(batch);
      if (out > 0) return out;
    }
    if (!this.turns.begin()) return 0;
    return this.waitWithToken(batch, timeoutMs);
  }

  /** One epoll_wait, and each event turned into the completions it makes. */
  private waitWithToken(batch: CompletionBatch, timeoutMs: number): number {
    const ev = this.epoll.events;
    const size = batch.op.length;
    const waitMs = this.receiver.hasQueuedEdges() ? 0 : timeoutMs;
    const n = this.epoll.wait(size, waitMs);
    // Nothing came for a whole wait: a quiet moment to let another worker have a turn.
    if (n === 0 && waitMs > 0) this.turns.idle();
    let out = 0;
    let rx = 0; // receives prepared in the ring
    let ringAccepts: Acceptor | null = null; // accepts prepared in it
    for (let k = 0; k < n; k++) {
      const at = k * EPOLL_EVENT_SIZE;
      const op = eventOp(ev, at);
      const slot = eventSlot(ev, at);
      if (op === OP_RECV) {
        if (!this.receiver.claim(batch, out, slot, eventGen(ev, at), (eventFlags(ev, at) & HANGUP_EVENTS) !== 0)) continue;
        if (this.uring !== null) this.uring.prepRecv(batch, out, rx++);
        else if (!this.receiver.readNow(batch, out)) continue;
        out++;
      } else if (op === OP_SEND) {
        if (this.sender.onEdge(batch, out, slot, eventGen(ev, at))) out++;
      } else if (op === OP_ACCEPT) {
        // Leave room for one completion per event still to come.
        const room = size - out - (n - k - 1);
        if (this.uring !== null && this.uring.accepts) {
          const m = this.acceptor.prepare(batch, out, room, this.uring);
          if (m > 0) ringAccepts = this.acceptor;
          out += m;
        } else out += this.acceptor.accept(batch, out, room);
      } else if (op === OP_CONTROL) {
        this.control(slot);
        batch.op[out] = OP_CONTROL;
        batch.slot[out] = slot;
        out++;
      }
    }
    if (rx > 0 || ringAccepts !== null) out = this.uring!.finishWait(batch, rx, out, ringAccepts);
    return out;
  }

  private control(code: number): void {
    if (code === CONTROL_CLOSE_ALL) this.libc.read(this.closeAllFd, this.optMem.address, 8);
    else if (code === CONTROL_EXIT) this.turns.leave();
  }

  attach(slot: number, gen: number, handle: number): boolean {
    const b = this.table.base(slot);
    ownFlags(this.i32, b, gen);
    this.i32[b + F_HANDLE] = handle;
    this.i32[b + F_AUX] = -1;
    if (this.nodelayInherited === null) this.nodelayInherited = this.hasNodelay(handle);
    if (!this.nodelayInherited) {
      this.opt.setInt32(0, 1, true);
      this.libc.setsockopt(handle, IPPROTO_TCP, TCP_NODELAY, this.optMem.address, 4);
    }
    if (this.sendBuffer > 0) {
      this.opt.setInt32(0, this.sendBuffer, true);
      this.libc.setsockopt(handle, SOL_SOCKET, SO_SNDBUF, this.optMem.address, 4);
    }
    return true;
  }

  postRecv(slot: number, gen: number, offset: number, len: number, echoAtOnce: boolean): number {
    const b = this.table.base(slot);
    describeReceive(this.i32, b, offset, len, echoAtOnce && !this.naive);
    const next = armReceive(this.i32, b);
    if (next === RECV_UNREGISTERED) {
      // Registered once, armed before: an already readable socket reports an edge at once. Held
      // for the ring where it can (a failure then completes the receive at the next wait).
      const fd = this.i32[b + F_HANDLE];
      if (this.uring !== null && this.uring.holdRegistration(fd, slot, gen)) return POST_PENDING;
      if (!this.epoll.registerRecv(fd, slot, gen)) {
        unregister(this.i32, b);
        return POST_FAILED;
      }
    } else if (next === RECV_READABLE) this.receiver.queueEdge(slot, gen);
    return POST_PENDING;
  }

  postSend(slot: number, gen: number, offset: number, len: number): number {
    if (this.uring !== null && this.uring.queueSend(slot, gen, offset, len)) return POST_QUEUED;
    return this.sender.post(slot, gen, offset, len);
  }

  cancel(slot: number, abortive: boolean): void {
    // shutdown() makes both registrations fire: recv() then returns 0 and send() EPIPE.
    // SHUT_RD alone wakes the receive without sending a FIN, so that the RST that close()
    // sends next is the first thing the peer sees.
    const fd = this.i32[this.table.base(slot) + F_HANDLE];
    if (fd >= 0) this.libc.shutdown(fd, abortive ? SHUT_RD : SHUT_RDWR);
  }

  shutdownSend(slot: number): void {
    const fd = this.i32[this.table.base(slot) + F_HANDLE];
    if (fd >= 0) this.libc.shutdown(fd, SHUT_WR);
  }

  closeHandle(slot: number, rst: boolean): void {
    const b = this.table.base(slot);
    const fd = this.i32[b + F_HANDLE];
    if (fd < 0) return;
    // The naive lifetime frees only the socket: the dup that carries a pending send lives on,
    // like the OVERLAPPED of a WSASend whose packet has not arrived yet, and may still fire.
    const aux = this.i32[b + F_AUX];
    if (!this.naive && aux >= 0) this.closeFd(aux, false);
    this.i32[b + F_HANDLE] = -1;
    this.i32[b + F_AUX] = -1;
    this.closeFd(fd, rst);
  }

  /** Made at once, never held: shedding at EMFILE accepts into the number this frees. */
  reject(handle: number): void {
    this.setLingerZero(handle);
    this.libc.close(handle);
  }

  /** close(fd), after SO_LINGER {1, 0} when `rst`: held for the ring where it can, else now. */
  private closeFd(fd: number, rst: boolean): void {
    if (this.uring !== null && this.uring.holdClose(fd, rst)) return;
    if (rst) this.setLingerZero(fd);
    this.libc.close(fd);
  }

  stopAccepting(): void {
    this.acceptor.stop();
  }

  abandon(): void {
    this.uring?.abandon((fd) => this.setLingerZero(fd));
    this.turns.abandon();
    this.acceptor.abandon();
  }

  dispose(): void {
    this.acceptor.dispose();
    this.uring?.close();
    this.epoll.dispose();
    this.scratch.dispose();
    freeArena(this.optMem.ptr);
  }

  /** Whether TCP_NODELAY is on for the socket (false when it cannot be read). */
  private hasNodelay(fd: number): boolean {
    this.opt.setInt32(0, 0, true);
    this.opt.setUint32(8, 4, true);
    const r = this.libc.getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, this.optMem.address, this.optMem.address + 8);
    return r === 0 && this.opt.getInt32(0, true) !== 0;
  }

  /** SO_LINGER {1, 0}: close() sends RST instead of FIN. */
  private setLingerZero(fd: number): void {
    this.opt.setInt32(0, 1, true);
    this.opt.setInt32(4, 0, true);
    this.libc.setsockopt(fd, SOL_SOCKET, SO_LINGER, this.optMem.address, 8);
  }
}
