/**
 * Worker half of the epoll backend: the completion contract emulated over readiness.
 *
 * Each operation has its own registration whose data word is (slot, generation, op), playing
 * the part of the OVERLAPPED pointer: the receive is registered on the socket, the send on a
 * dup() of it (made the first time a send has to wait). With one registration per socket a
 * session's two directions would be serialised and could never race; with two, a receive and a
 * send of one session complete on different workers at once, as on IOCP. When a registration
 * fires, this worker does the recv()/send() and reports the outcome as a completion. A send is
 * tried at once and completes inline when the socket takes the bytes.
 *
 * The receive registration is edge-triggered and never re-armed (one system call fewer per echo
 * than EPOLLONESHOT + EPOLL_CTL_MOD). Who runs a receive is settled by two bits in the slot:
 * ARMED (a receive is posted) and READY (an edge came while none was). An edge claims an ARMED
 * receive by compare-and-swap, or else leaves READY; a receive posted while READY is set queues
 * a synthetic edge on this worker, handled at its next wait() like one from the kernel. After
 * EAGAIN the receive is re-armed unless an edge arrived meanwhile, in which case it reads again:
 * no edge is ever lost, and no receive runs twice.
 *
 * The send registration stays EPOLLONESHOT: it is armed only when a send has to wait.
 *
 * Where io_uring passes its probe (and the lifetime is not naive), a worker batches its calls:
 * the receives its edges claim in one wait are made together in one io_uring call, and the
 * sends the engine posts while it handles a batch are queued (POST_QUEUED) and made together at
 * the worker's next wait(), whose completions they are. Each is the same non-blocking recv() or
 * send() as without the ring, done before the call returns: nothing the kernel holds outlives
 * it, so every lifetime rule above is unchanged. A queued send the socket refuses (EAGAIN)
 * completes with 0 bytes and marks the slot, so the engine's retry is a plain send() that arms
 * EPOLLOUT and goes pending the usual way (with a receive beside it).
 *
 * A receive posted `echoAtOnce` (the ring is empty and no send is posted, so the engine will send
 * exactly these bytes while it handles the completion) reads into this worker's scratch buffer,
 * and the send goes out from there: an echo then never touches the session's ring, whose pages
 * stay cold (and, for sessions that never had a partial send, never resident). Bytes the socket
 * does not take at once are copied into the ring, where the pending send finds them. Scratch
 * contents live only until this worker's next wait(), by which time the engine has sent them or
 * (a closing session) never will.
 */
import {
  OP_ACCEPT,
  OP_CONTROL,
  OP_RECV,
  OP_SEND,
  POST_FAILED,
  POST_PENDING,
  POST_QUEUED,
  CONTROL_CLOSE_ALL,
  CONTROL_EXIT,
  type CompletionBatch,
  type PortBackend,
  type WorkerInit,
} from '../completion.js';
import { C_ACCEPT_FAILURES, C_RING_CALLS, C_RING_OPS, C_RING_WORKERS } from '../counters.js';
import {
  F_AUX,
  F_HANDLE,
  F_RECV_LEN,
  F_RECV_OFF,
  F_SEND_LEN,
  F_SEND_OFF,
  type SessionTable,
} from '../sessionTable.js';
import { EPOLL_EVENT_SIZE, eventFlags, eventGen, eventOp, eventSlot, writeEvent } from './dataWord.js';
import {
  RECV_READABLE,
  RECV_UNREGISTERED,
  armReceive,
  claimOnEdge,
  firstSendRegistration,
  noteHangup,
  noteRead,
  rearmAfterEmptyRead,
  unregister,
} from './edges.js';
import { RunTokens, RunTurns } from './runTokens.js';
import {
  EPOLL_CTL_ADD,
  EPOLL_CTL_MOD,
  EPOLLIN,
  EPOLLONESHOT,
  EPOLLOUT,
  EPOLLRDHUP,
  EPOLLHUP,
  EPOLLERR,
  EPOLLET,
  F_DUPFD_CLOEXEC,
  IPPROTO_TCP,
  MSG_DONTWAIT,
  MSG_NOSIGNAL,
  SHUT_RD,
  SHUT_RDWR,
  SHUT_WR,
  SO_LINGER,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOL_SOCKET,
  TCP_NODELAY,
  check,
  errno,
  loadLibc,
} from '../../native/linux/libc.js';
import { EAGAIN, EINTR, EMFILE, ENFILE } from '../../native/linux/errno.js';
import { allocArena, freeArena, viewMemory } from '../../native/memory.js';
import { Uring } from '../../native/linux/uring.js';

const MAX_EVENTS = 64;
/**
 * Scratch receive space per worker: one wait's worth of echoAtOnce receives (the rest use the
 * ring), at least two rings' worth, never more than 1 MiB (a receive that does not fit uses the ring).
 */
const SCRATCH_MIN_BYTES = 256 * 1024;
const SCRATCH_MAX_BYTES = 1024 * 1024;
/** With the ring: the most one claimed echoAtOnce receive reads into scratch (a full one leaves READY). */
const SCRATCH_SLICE = 16 * 1024;
/** Sends queued between two waits at most (a dispatch posts at most one per completion). */
const SEND_QUEUE = 256;

export function createEpollPort(
  init: WorkerInit,
  table: SessionTable,
  counters: Float64Array,
): PortBackend {
  const libc = loadLibc();
  const epfd = init.native.epfd as number;
  const listenFd = init.native.listenFd as number;
  const ringBase = init.native.arena as number;
  const size = init.options.bufferSize;
  const acceptDepth = init.options.acceptDepth;
  const naive = init.options.lifetime === 'naive';
  const i32 = table.i32;

  // Per-thread native scratch: the epoll_event array, one event for epoll_ctl, option values.
  const scratch = allocArena(MAX_EVENTS * EPOLL_EVENT_SIZE + 64);
  const evAddr = scratch.address;
  const ctlAddr = evAddr + MAX_EVENTS * EPOLL_EVENT_SIZE;
  const optAddr = ctlAddr + 16;
  const mem = viewMemory(scratch.address, MAX_EVENTS * EPOLL_EVENT_SIZE + 64);
  const ev = new DataView(mem, 0, MAX_EVENTS * EPOLL_EVENT_SIZE);
  const ctl = new DataView(mem, MAX_EVENTS * EPOLL_EVENT_SIZE, 16);
  const opt = new DataView(mem, MAX_EVENTS * EPOLL_EVENT_SIZE + 16, 16);
  // Batched calls (see the file comment); null: one system call each.
  const ring = naive || !init.options.ioUring ? null : Uring.open(Math.max(MAX_EVENTS, SEND_QUEUE));
  const ringRes = new Int32Array(ring ? ring.capacity : 0);
  if (ring) counters[C_RING_WORKERS] = 1;
  // Receives claimed in this wait and made through the ring: batch index -> address, length,
  // scratch offset (-1: into the ring).
  const rxAddr = new Float64Array(ring ? MAX_EVENTS : 0);
  const rxLen = new Int32Array(ring ? MAX_EVENTS : 0);
  const rxScratch = new Int32Array(ring ? MAX_EVENTS : 0);
  const rxOut = new Int32Array(ring ? MAX_EVENTS : 0);
  // Sends queued for the next wait.
  const txSlot = new Int32Array(ring ? SEND_QUEUE : 0);
  const txGen = new Int32Array(ring ? SEND_QUEUE : 0);
  const txOff = new Int32Array(ring ? SEND_QUEUE : 0);
  const txLen = new Int32Array(ring ? SEND_QUEUE : 0);
  const txFrom = new Float64Array(ring ? SEND_QUEUE : 0);
  let txCount = 0;
  // A queued send this slot's socket refused: its next send is a plain one (see the file comment).
  const sendPlain = new Uint8Array(ring ? table.capacity : 0);
  // Scratch receives of the current wait: slot -> where its bytes are (see the file comment).
  const scratchBytes = ring
    ? MAX_EVENTS * SCRATCH_SLICE
    : Math.max(SCRATCH_MIN_BYTES, Math.min(SCRATCH_MAX_BYTES, 2 * size));
  const scratchBuf = naive ? null : allocArena(scratchBytes);
  const scratchAt = new Int32Array(table.capacity); // scratch offset of the slot's bytes
  const scratchLen = new Int32Array(table.capacity); // how many (0: none)
  const scratchRing = new Int32Array(table.capacity); // the ring offset they stand for
  const scratchGen = new Int32Array(table.capacity);
  const scratchWait = new Int32Array(table.capacity); // the waitNumber they were received in
  let waitNumber = 1; // counts this worker's waits: scratch bytes from an earlier one are gone
  let scratchUsed = 0;
  let accepting = true;
  const turns = new RunTurns(new RunTokens(init.native.runTokens as SharedArrayBuffer));

  function arm(fd: number, add: boolean, events: number, op: number, slot: number, gen: number): boolean {
    writeEvent(ctl, 0, events | EPOLLONESHOT, op, slot, gen);
    return libc.epoll_ctl(epfd, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, ctlAddr) === 0;
  }

  function armListener(): void {
    writeEvent(ctl, 0, EPOLLIN | EPOLLONESHOT, OP_ACCEPT, 0, 0);
    libc.epoll_ctl(epfd, EPOLL_CTL_MOD, listenFd, ctlAddr);
  }

  // Synthetic edges: receives posted while their socket was already READY.
  const readySlots: number[] = [];
  const readyGens: number[] = [];
  let readyHead = 0;

  /** Run a receive edge for (slot, gen); returns 1 if it produced a completion in batch[out]. */
  function recvEdge(batch: CompletionBatch, out: number, slot: number, gen: number): number {
    const b = table.base(slot);
    // An edge is readiness, not an operation: it may belong to a socket already closed (its slot
    // freed, even reused). Only the claim of an ARMED receive makes it a completion, and that
    // receive belongs to the slot's current owner, whose generation cannot change while its
    // receive holds a reference. The naive lifetime reports the edge's own generation instead:
    // the tutorial trusts whatever the kernel hands back.
    if (!claimOnEdge(i32, b)) return 0; // no receive posted: the next post will find READY
    batch.op[out] = OP_RECV;
    batch.slot[out] = slot;
    batch.gen[out] = naive ? gen : table.generation(slot);
    batch.bytes[out] = 0;
    batch.status[out] = 0;
    // A negative length marks an echoAtOnce receive (postRecv).
    let len = i32[b + F_RECV_LEN];
    let addr = 0;
    let scratchOff = -1;
    if (len < 0) {
      len = -len;
      if (scratchBuf && scratchUsed + len <= scratchBytes) {
        scratchOff = scratchUsed;
        addr = scratchBuf.address + scratchOff;
      }
    }
    if (scratchOff < 0) addr = ringBase + slot * size + i32[b + F_RECV_OFF];
    const done = readClaimed(batch, out, b, addr, len, scratchOff);
    // Scratch is taken as far as the read went (the ring's receives take theirs up front).
    if (done && scratchOff >= 0) scratchUsed += (batch.bytes[out] + 63) & ~63;
    return done;
  }

  /** recv() for a claimed receive until it has an outcome; 0 if it went back to pending. */
  function readClaimed(batch: CompletionBatch, out: number, b: number, addr: number, len: number, scratchOff: number): number {
    for (;;) {
      const r = libc.recv(i32[b + F_HANDLE], addr, len, 0);
      if (r >= 0) {
        received(batch, out, b, r, len, scratchOff);
        return 1;
      }
      const e = errno();
      if (e !== EAGAIN && e !== EINTR) {
        batch.status[out] = e || -1;
        return 1;
      }
      if (rearmAfterEmptyRead(i32, b)) return 0; // still pending
    }
  }

  /** A claimed receive read r >= 0 bytes: its completion, where the bytes are, and READY if more may wait. */
  function received(batch: CompletionBatch, out: number, b: number, r: number, len: number, scratchOff: number): void {
    const slot = batch.slot[out];
    batch.bytes[out] = r;
    if (scratchOff >= 0 && r > 0) {
      scratchAt[slot] = scratchOff;
      scratchLen[slot] = r;
      scratchRing[slot] = i32[b + F_RECV_OFF];
      scratchGen[slot] = batch.gen[out];
      scratchWait[slot] = waitNumber;
    }
    noteRead(i32, b, r, len);
  }

  /**
   * As recvEdge, with the ring: claim, and prepare the receive as ring entry `k` (made by
   * finishRingRecvs). Returns 1 if it claimed a receive, whose completion is batch[out].
   */
  function claimRecv(batch: CompletionBatch, out: number, slot: number, k: number): number {
    const b = table.base(slot);
    if (!claimOnEdge(i32, b)) return 0;
    batch.op[out] = OP_RECV;
    batch.slot[out] = slot;
    batch.gen[out] = table.generation(slot);
    batch.bytes[out] = 0;
    batch.status[out] = 0;
    let len = i32[b + F_RECV_LEN];
    let scratchOff = -1;
    let addr = 0;
    if (len < 0) {
      len = Math.min(-len, SCRATCH_SLICE);
      if (scratchUsed + len <= scratchBytes) {
        scratchOff = scratchUsed;
        scratchUsed += (len + 63) & ~63;
        addr = scratchBuf!.address + scratchOff;
      } else len = -i32[b + F_RECV_LEN];
    }
    if (scratchOff < 0) addr = ringBase + slot * size + i32[b + F_RECV_OFF];
    rxAddr[k] = addr;
    rxLen[k] = len;
    rxScratch[k] = scratchOff;
    rxOut[k] = out;
    ring!.prepRecv(i32[b + F_HANDLE], addr, len, 0, k);
    return 1;
  }

  /**
   * Makes the `n` receives claimRecv prepared, in one call, and fills in their completions. One
   * that found nothing is re-armed (its batch entry becomes op -1, dropped by the caller), or,
   * if an edge came meanwhile, read again at once.
   */
  function finishRingRecvs(batch: CompletionBatch, n: number): number {
    ring!.run(ringRes);
    counters[C_RING_CALLS]++;
    counters[C_RING_OPS] += n;
    let dropped = 0;
    for (let k = 0; k < n; k++) {
      const out = rxOut[k];
      const b = table.base(batch.slot[out]);
      const r = ringRes[k];
      if (r >= 0) received(batch, out, b, r, rxLen[k], rxScratch[k]);
      else if (r !== -EAGAIN && r !== -EINTR) batch.status[out] = -r;
      // Nothing there: pending again, or, if an edge came after the ring's read, read at once.
      else if (rearmAfterEmptyRead(i32, b) || readClaimed(batch, out, b, rxAddr[k], rxLen[k], rxScratch[k]) === 0) {
        batch.op[out] = -1;
        dropped++;
      }
    }
    return dropped;
  }

  /**
   * Makes the queued sends (as many as `batch` has room for) in one call and reports each as a
   * completion. Bytes of a scratch send the socket did not take go to the ring, where the
   * engine's next send finds them.
   */
  function flushSends(batch: CompletionBatch): number {
    const n = Math.min(txCount, batch.op.length, ring!.capacity);
    for (let k = 0; k < n; k++) {
      ring!.prepSend(i32[table.base(txSlot[k]) + F_HANDLE], txFrom[k], txLen[k], MSG_NOSIGNAL, k);
    }
    ring!.run(ringRes);
    counters[C_RING_CALLS]++;
    counters[C_RING_OPS] += n;
    for (let k = 0; k < n; k++) {
      const slot = txSlot[k];
      const len = txLen[k];
      const from = txFrom[k];
      const to = ringBase + slot * size + txOff[k];
      let r = ringRes[k];
      batch.op[k] = OP_SEND;
      batch.slot[k] = slot;
      batch.gen[k] = txGen[k];
      batch.bytes[k] = 0;
      batch.status[k] = 0;
      if (r === -EAGAIN || r === -EINTR) {
        sendPlain[slot] = 1;
        r = 0;
      }
      if (r < 0) batch.status[k] = -r;
      else {
        batch.bytes[k] = r;
        if (r < len && from !== to) libc.memcpy(to + r, from + r, len - r);
      }
    }
    txCount -= n;
    if (txCount > 0) {
      txSlot.copyWithin(0, n, n + txCount);
      txGen.copyWithin(0, n, n + txCount);
      txOff.copyWithin(0, n, n + txCount);
      txLen.copyWithin(0, n, n + txCount);
      txFrom.copyWithin(0, n, n + txCount);
    }
    return n;
  }

  /** Arm the send registration, on a dup() of the socket made the first time it is needed. */
  function armSend(slot: number, gen: number): boolean {
    const b = table.base(slot);
    let dupFd = i32[b + F_AUX];
    if (dupFd < 0) {
      dupFd = libc.fcntl(i32[b + F_HANDLE], F_DUPFD_CLOEXEC, 0);
      if (dupFd < 0) return false;
      i32[b + F_AUX] = dupFd;
    }
    return arm(dupFd, firstSendRegistration(i32, b), EPOLLOUT, OP_SEND, slot, gen);
  }

  /** Accept up to `room` connections; each becomes an OP_ACCEPT completion. */
  function acceptBatch(batch: CompletionBatch, out: number, room: number): number {
    let n = 0;
    const limit = Math.min(room, acceptDepth);
    while (n < limit && accepting) {
      const fd = libc.accept4(listenFd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        const e = errno();
        if (e === EAGAIN || e === EINTR) break;
        counters[C_ACCEPT_FAILURES]++;
        // Out of descriptors: stop for this wake-up rather than spin on the same error.
        if (e === EMFILE || e === ENFILE) break;
        continue;
      }
      batch.op[out + n] = OP_ACCEPT;
      batch.handle[out + n] = fd;
      batch.slot[out + n] = -1;
      batch.status[out + n] = 0;
      n++;
    }
    if (accepting && !table.stopping()) armListener();
    return n;
  }

  /** Run the synthetic edges queued by postRecv, as many as the batch has room for. */
  function runReady(batch: CompletionBatch): number {
    let out = 0;
    while (readyHead < readySlots.length && out < batch.op.length) {
      out += recvEdge(batch, out, readySlots[readyHead], readyGens[readyHead]);
      readyHead++;
    }
    if (readyHead === readySlots.length) {
      readySlots.length = 0;
      readyGens.length = 0;
      readyHead = 0;
    }
    return out;
  }

  function waitWithToken(batch: CompletionBatch, timeoutMs: number): number {
    let out = 0;
    let rx = 0; // receives prepared in the ring
    const n = libc.epoll_wait(
      epfd, evAddr, Math.min(MAX_EVENTS, batch.op.length), readyHead < readySlots.length ? 0 : timeoutMs,
    );
    if (n < 0) {
      if (errno() === EINTR) return out;
      check('epoll_wait', n);
    }
    for (let k = 0; k < n; k++) {
      const at = k * EPOLL_EVENT_SIZE;
      const gen = eventGen(ev, at);
      const op = eventOp(ev, at);
      const slot = eventSlot(ev, at);
      if (op === OP_ACCEPT) {
        out += acceptBatch(batch, out, batch.op.length - out - (n - k - 1));
        continue;
      }
      if (op === OP_CONTROL) {
        if (slot === CONTROL_CLOSE_ALL) libc.read(init.native.closeAllFd as number, optAddr, 8);
        else if (slot === CONTROL_EXIT) turns.leave();
        batch.op[out] = OP_CONTROL;
        batch.slot[out] = slot;
        out++;
        continue;
      }
      if (op === OP_RECV) {
        if (eventFlags(ev, at) & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) noteHangup(i32, table.base(slot));
        if (ring) {
          const got = claimRecv(batch, out, slot, rx);
          rx += got;
          out += got;
        } else out += recvEdge(batch, out, slot, gen);
        continue;
      }
      batch.op[out] = op;
      batch.slot[out] = slot;
      batch.gen[out] = gen;
      batch.bytes[out] = 0;
      batch.status[out] = 0;
      if (!naive && table.generation(slot) !== gen) {
        out++;
        continue;
      }
      const b = table.base(slot);
      const r = libc.send(
        i32[b + F_HANDLE],
        ringBase + slot * size + i32[b + F_SEND_OFF],
        i32[b + F_SEND_LEN],
        MSG_NOSIGNAL | MSG_DONTWAIT,
      );
      if (r < 0) {
        const e = errno();
        if ((e === EAGAIN || e === EINTR) && armSend(slot, gen)) continue; // still pending
        batch.status[out] = e || -1;
      } else batch.bytes[out] = r;
      out++;
    }
    if (rx > 0 && finishRingRecvs(batch, rx) > 0) out = dropPending(batch, out);
    return out;
  }

  /** Closes the gaps (op -1) left by receives that went back to pending. */
  function dropPending(batch: CompletionBatch, n: number): number {
    let w = 0;
    for (let k = 0; k < n; k++) {
      if (batch.op[k] < 0) continue;
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

  return {
    wait(batch, timeoutMs) {
      // Sends queued while the last batch was handled go first (some may be from scratch).
      if (txCount > 0) return flushSends(batch);
      // The engine has handled the last batch: its scratch bytes are sent or no longer wanted.
      waitNumber++;
      scratchUsed = 0;
      // Receives posted on already readable sockets are this worker's own work, queued while it
      // held its run token: run them first (they never wait behind a yield).
      if (readyHead < readySlots.length) {
        const out = runReady(batch);
        if (out > 0) return out;
      }
      // At most `concurrency` workers run at once, counting one asleep in epoll_wait (runTokens.ts).
      if (!turns.begin()) return 0;
      return waitWithToken(batch, timeoutMs);
    },
    attach(slot, _gen, handle) {
      const b = table.base(slot);
      i32[b + F_HANDLE] = handle;
      i32[b + F_AUX] = -1;
      opt.setInt32(0, 1, true);
      libc.setsockopt(handle, IPPROTO_TCP, TCP_NODELAY, optAddr, 4);
      return true;
    },

    postRecv(slot, gen, offset, len, echoAtOnce) {
      const b = table.base(slot);
      i32[b + F_RECV_OFF] = offset;
      i32[b + F_RECV_LEN] = echoAtOnce && !naive ? -len : len;
      const next = armReceive(i32, b);
      if (next === RECV_UNREGISTERED) {
        // Registered once, armed before: an already readable socket reports an edge at once.
        writeEvent(ctl, 0, EPOLLIN | EPOLLRDHUP | EPOLLET, OP_RECV, slot, gen);
        if (libc.epoll_ctl(epfd, EPOLL_CTL_ADD, i32[b + F_HANDLE], ctlAddr) !== 0) {
          unregister(i32, b);
          return POST_FAILED;
        }
      } else if (next === RECV_READABLE) {
        readySlots.push(slot);
        readyGens.push(gen);
      }
      return POST_PENDING;
    },

    postSend(slot, gen, offset, len) {
      if (ring && txCount < SEND_QUEUE && sendPlain[slot] === 0) return queueSend(slot, gen, offset, len);
      if (ring) sendPlain[slot] = 0;
      const b = table.base(slot);
      const fd = i32[b + F_HANDLE];
      const ringAt = ringBase + slot * size;
      const from = scratchSource(slot, gen, offset, len);
      if (from !== 0) {
        // The echo of what this worker just received: send it from where it is.
        const r = libc.send(fd, from, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (r === len) return r;
        const e = r < 0 ? errno() : 0;
        if (r < 0 && e !== EAGAIN && e !== EINTR) return POST_FAILED;
        // What the socket did not take waits in the ring, where the rest of the echo is sent from.
        const sent = r > 0 ? r : 0;
        libc.memcpy(ringAt + offset + sent, from + sent, len - sent);
        if (r > 0) return r;
        i32[b + F_SEND_OFF] = offset;
        i32[b + F_SEND_LEN] = len;
        return armSend(slot, gen) ? POST_PENDING : POST_FAILED;
      }
      const r = libc.send(fd, ringAt + offset, len, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (r >= 0) return r;
      const e = errno();
      if (e !== EAGAIN && e !== EINTR) return POST_FAILED;
      i32[b + F_SEND_OFF] = offset;
      i32[b + F_SEND_LEN] = len;
      return armSend(slot, gen) ? POST_PENDING : POST_FAILED;
    },

    cancel(slot, abortive) {
      // shutdown() makes both registrations fire: recv() then returns 0 and send() EPIPE.
      // SHUT_RD alone wakes the receive without sending a FIN, so that the RST that close()
      // sends next is the first thing the peer sees.
      const fd = i32[table.base(slot) + F_HANDLE];
      if (fd >= 0) libc.shutdown(fd, abortive ? SHUT_RD : SHUT_RDWR);
    },

    shutdownSend(slot) {
      const fd = i32[table.base(slot) + F_HANDLE];
      if (fd >= 0) libc.shutdown(fd, SHUT_WR);
    },

    closeHandle(slot, rst) {
      const b = table.base(slot);
      const fd = i32[b + F_HANDLE];
      if (fd < 0) return;
      if (rst) setLingerZero(fd);
      // The naive lifetime frees only the socket: the dup that carries a pending send lives on,
      // like the OVERLAPPED of a WSASend whose packet has not arrived yet, and may still fire.
      if (!naive && i32[b + F_AUX] >= 0) libc.close(i32[b + F_AUX]);
      i32[b + F_HANDLE] = -1;
      i32[b + F_AUX] = -1;
      libc.close(fd);
    },

    reject(handle) {
      setLingerZero(handle);
      libc.close(handle);
    },

    stopAccepting() {
      accepting = false;
    },

    dispose() {
      ring?.close();
      freeArena(scratch.ptr);
      if (scratchBuf) freeArena(scratchBuf.ptr);
    },
  };

  /**
   * Queues a send for the next wait(): from scratch when it is the echo of what this worker just
   * received there (as postSend's plain path sends it), else from the ring.
   */
  function queueSend(slot: number, gen: number, offset: number, len: number): number {
    const k = txCount++;
    const from = scratchSource(slot, gen, offset, len);
    txSlot[k] = slot;
    txGen[k] = gen;
    txOff[k] = offset;
    txLen[k] = len;
    txFrom[k] = from !== 0 ? from : ringBase + slot * size + offset;
    return POST_QUEUED;
  }

  /**
   * Where this send's bytes are in scratch, when it is the echo of what this worker's current
   * wait received there (0 otherwise). Scratch bytes it does not stand for (the engine's promise
   * did not hold) are first copied into the ring, where every other send reads them.
   */
  function scratchSource(slot: number, gen: number, offset: number, len: number): number {
    const held = scratchLen[slot];
    if (held === 0) return 0;
    scratchLen[slot] = 0;
    if (scratchWait[slot] !== waitNumber || scratchGen[slot] !== gen) return 0;
    const at = scratchBuf!.address + scratchAt[slot];
    if (scratchRing[slot] === offset && held === len) return at;
    libc.memcpy(ringBase + slot * size + scratchRing[slot], at, held);
    return 0;
  }

  /** SO_LINGER {1, 0}: close() sends RST instead of FIN. */
  function setLingerZero(fd: number): void {
    opt.setInt32(0, 1, true);
    opt.setInt32(4, 0, true);
    libc.setsockopt(fd, SOL_SOCKET, SO_LINGER, optAddr, 8);
  }
}
