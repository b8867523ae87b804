/**
 * Worker half of the IOCP backend: GetQueuedCompletionStatusEx batches, WSARecv/WSASend with
 * OVERLAPPEDs at fixed places in the native arena, AcceptEx completions turned into accepted
 * sockets (and re-posted), CancelIoEx on close, closesocket only at reference count zero.
 * Receives are zero-byte reads (the refcount lifetime): the ring is filled by recv() once the
 * read completes, so an idle session pins no buffer in the kernel.
 *
 * Every operation completes through the port (no FILE_SKIP_COMPLETION_PORT_ON_SUCCESS): an
 * immediate success still queues a packet, so a post returns "pending" unless it failed at once.
 */
import {
  CONTROL_EXIT,
  OP_ACCEPT,
  OP_CONTROL,
  OP_RECV,
  OP_SEND,
  POST_FAILED,
  POST_PENDING,
  type PortBackend,
  type WorkerInit,
} from '../completion.js';
import { C_ACCEPT_COMPLETED, C_ACCEPT_FAILURES, C_ZERO_READS } from '../counters.js';
import { allocArena, freeArena, viewMemory } from '../../native/memory.js';
import { F_HANDLE, STATE_OPEN, type SessionTable } from '../sessionTable.js';
import {
  KEY_CONTROL,
  KEY_LISTEN,
  OP_STRIDE,
  RECV_FLAGS,
  RECV_GEN,
  RECV_OV,
  RECV_WANT_LEN,
  RECV_WANT_OFF,
  RECV_WSABUF,
  SEND_GEN,
  SEND_OV,
  SEND_WSABUF,
  acceptPool,
  layout,
} from './layout.js';
import { loadWin32 } from '../../native/win32/win32.js';

const MAX_ENTRIES = 64;

export function createIocpPort(init: WorkerInit, table: SessionTable, counters: Float64Array): PortBackend {
  const w = loadWin32();
  const n = init.native;
  const port = n.port as number;
  const listenSocket = n.listenSocket as number;
  const size = init.options.bufferSize;
  const naive = init.options.lifetime === 'naive';
  const depth = init.options.acceptDepth;
  const l = layout(n.arena as number, table.capacity, depth, size);
  const dv = new DataView(viewMemory(l.base, l.ringBase - l.base));
  const i32 = table.i32;
  const pool = acceptPool({
    w, dv, layout: l, depth, listenSocket, acceptEx: w.decodeAcceptEx(n.acceptEx as number),
    family: n.family as number, addressLength: n.addressLength as number, counters,
    stopping: () => table.stopping(),
    unposted: init.index === 0 ? String(n.unposted ?? '').split(',').filter(Boolean).map(Number) : [],
  });

  // Per-thread scratch: the OVERLAPPED_ENTRY array, the entry count, option values.
  const scratchBytes = MAX_ENTRIES * w.OVERLAPPED_ENTRY_SIZE + 64;
  const scratch = allocArena(scratchBytes);
  const entries = new DataView(viewMemory(scratch.address, scratchBytes));
  const countAddr = scratch.address + MAX_ENTRIES * w.OVERLAPPED_ENTRY_SIZE;
  const countAt = MAX_ENTRIES * w.OVERLAPPED_ENTRY_SIZE;
  const listenValue = BigInt64Array.of(BigInt(listenSocket));
  const lingerZero = Uint16Array.of(1, 0);
  const one = Int32Array.of(1);
  /** SO_SNDBUF for accepted sockets, or null for the OS default. */
  const sendBuffer = init.options.sendBuffer > 0 ? Int32Array.of(init.options.sendBuffer) : null;
  const nonBlocking = Uint32Array.of(1);
  let cancelledAccepts = false;

  const opRel = (slot: number) => l.opBase - l.base + slot * OP_STRIDE;
  const zeroOverlapped = (rel: number) => {
    dv.setBigUint64(rel, 0n, true);
    dv.setBigUint64(rel + 8, 0n, true);
    dv.setBigUint64(rel + 16, 0n, true);
    dv.setBigUint64(rel + 24, 0n, true);
  };
  const handleOf = (slot: number) => i32[table.base(slot) + F_HANDLE];

  /** Prepare the op's OVERLAPPED and WSABUF; returns the OVERLAPPED's address. */
  function prepare(slot: number, gen: number, ovOff: number, bufOff: number, genOff: number, offset: number, len: number): number {
    const rel = opRel(slot);
    zeroOverlapped(rel + ovOff); // never reuse an OVERLAPPED without zeroing it
    dv.setUint32(rel + bufOff, len, true);
    dv.setBigUint64(rel + bufOff + 8, BigInt(l.ringBase + slot * size + offset), true);
    dv.setInt32(rel + genOff, gen, true);
    return l.opBase + slot * OP_STRIDE + ovOff;
  }

  /** WSARecv into ring[offset, offset + len) of the slot (len 0: a zero-byte read). */
  function wsaRecv(slot: number, gen: number, offset: number, len: number): number {
    const ov = prepare(slot, gen, RECV_OV, RECV_WSABUF, RECV_GEN, offset, len);
    dv.setUint32(opRel(slot) + RECV_FLAGS, 0, true);
    const base = l.opBase + slot * OP_STRIDE;
    const r = w.WSARecv(handleOf(slot), base + RECV_WSABUF, 1, 0, base + RECV_FLAGS, ov, 0);
    if (r === 0 || w.WSAGetLastError() === w.WSA_IO_PENDING) return POST_PENDING; // a packet will come
    return POST_FAILED;
  }

  /**
   * A completed operation's status: its OVERLAPPED's Internal field (an NTSTATUS), as libuv
   * reads it; the OVERLAPPED_ENTRY's own Internal is documented as reserved. Every OVERLAPPED
   * this backend posts is in the arena's op or accept area.
   */
  function statusOf(ov: number): number {
    const at = ov - l.base;
    return at >= 0 && at + 4 <= dv.byteLength ? dv.getUint32(at, true) : w.STATUS_UNSUCCESSFUL;
  }

  /** The Winsock error behind completeZeroRead's -2. */
  let zeroError = 0;
  /**
   * A zero-byte read completed: the socket has bytes, an EOF or an error. Reads them into the
   * ring range the receive stands for; returns the count (0 = EOF), -1 when the socket turned
   * out empty and the zero-byte read is pending again, or -2 with `zeroError` set.
   */
  function completeZeroRead(slot: number, gen: number, rel: number): number {
    const s = handleOf(slot);
    const off = dv.getInt32(rel + RECV_WANT_OFF, true);
    const n = w.recv(s, l.ringBase + slot * size + off, dv.getInt32(rel + RECV_WANT_LEN, true), 0);
    if (n >= 0) return n;
    zeroError = w.WSAGetLastError();
    if (zeroError !== w.WSAEWOULDBLOCK) return -2;
    counters[C_ZERO_READS]++;
    if (wsaRecv(slot, gen, off, 0) !== POST_PENDING) {
      zeroError = w.WSAGetLastError();
      return -2;
    }
    // A close that raced with this post may have cancelled before it: cancel again, as the
    // engine does after its own posts.
    if (table.state(slot) !== STATE_OPEN) w.CancelIoEx(s, 0);
    return -1;
  }

  return {
    wait(batch, timeoutMs) {
      pool.retry(performance.now());
      const max = Math.min(MAX_ENTRIES, batch.op.length);
      const ok = w.GetQueuedCompletionStatusEx(port, scratch.address, max, countAddr, timeoutMs, 0);
      if (!ok) return 0; // WAIT_TIMEOUT (or the port is gone: the pool is stopping)
      const got = entries.getUint32(countAt, true);
      let out = 0;
      let exits = 0;
      for (let k = 0; k < got; k++) {
        const at = k * w.OVERLAPPED_ENTRY_SIZE;
        const key = Number(entries.getBigUint64(at + w.OVERLAPPED_ENTRY_KEY, true));
        const ov = Number(entries.getBigUint64(at + w.OVERLAPPED_ENTRY_OVERLAPPED, true));
        let bytes = entries.getUint32(at + w.OVERLAPPED_ENTRY_BYTES, true);
        if (ov === 0 && key === KEY_CONTROL) {
          // One exit sentinel per worker: GQCSEx may hand this thread several; give the extras back.
          if (bytes === CONTROL_EXIT && ++exits > 1) {
            w.PostQueuedCompletionStatus(port, CONTROL_EXIT, KEY_CONTROL, 0);
            continue;
          }
          batch.op[out] = OP_CONTROL;
          batch.slot[out] = bytes;
          out++;
          continue;
        }
        let status = statusOf(ov);
        if (key === KEY_LISTEN) {
          const index = pool.indexOf(ov);
          if (index < 0) continue;
          counters[C_ACCEPT_COMPLETED]++;
          const sock = pool.socketOf(index);
          const accepted =
            status === 0 &&
            w.setsockopt(sock, w.SOL_SOCKET, w.SO_UPDATE_ACCEPT_CONTEXT, listenValue, 8) === 0;
          if (accepted) {
            batch.op[out] = OP_ACCEPT;
            batch.handle[out] = sock;
            batch.slot[out] = -1;
            out++;
          } else {
            // A client that reset before the accept completed (Wine: 0xC0000140), or a cancel:
            // one lost connection, not a broken listener.
            if (status !== w.STATUS_CANCELLED) counters[C_ACCEPT_FAILURES]++;
            w.closesocket(sock);
          }
          // Keep the pool at its depth: every completion re-posts its context.
          if (!table.stopping()) pool.post(index);
          continue;
        }
        // A session operation: which OVERLAPPED tells the op; its address (or, in the naive
        // lifetime, the raw per-session key) tells the slot.
        const off = (naive ? key : ov) - l.opBase;
        const slot = Math.floor(off / OP_STRIDE);
        const isRecv = ov - (l.opBase + slot * OP_STRIDE) === RECV_OV;
        const rel = opRel(slot);
        const gen = dv.getInt32(rel + (isRecv ? RECV_GEN : SEND_GEN), true);
        if (isRecv && status === 0 && !naive) {
          const n = completeZeroRead(slot, gen, rel);
          if (n === -1) continue; // still waiting for the peer
          if (n === -2) status = zeroError;
          else bytes = n;
        }
        batch.op[out] = isRecv ? OP_RECV : OP_SEND;
        batch.slot[out] = slot;
        batch.gen[out] = gen;
        batch.bytes[out] = status === 0 ? bytes : 0; // a failed op's byte count means nothing
        batch.status[out] = status | 0;
        out++;
      }
      return out;
    },

    attach(slot, _gen, handle) {
      // Refcount lifetime: key 0, completions are identified by their OVERLAPPED. Naive: the key
      // is the session's raw address, as in the classic tutorial.
      const key = naive ? l.opBase + slot * OP_STRIDE : 0;
      if (w.CreateIoCompletionPort(handle, port, key, 0) === 0) {
        w.closesocket(handle);
        return false;
      }
      // Non-blocking, for the recv() that follows each zero-byte read (overlapped operations are
      // not affected by the mode).
      if (!naive && w.ioctlsocket(handle, w.FIONBIO, nonBlocking) !== 0) {
        w.closesocket(handle);
        return false;
      }
      i32[table.base(slot) + F_HANDLE] = handle;
      w.setsockopt(handle, w.IPPROTO_TCP, w.TCP_NODELAY, one, 4);
      if (sendBuffer) w.setsockopt(handle, w.SOL_SOCKET, w.SO_SNDBUF, sendBuffer, 4);
      return true;
    },

    postRecv(slot, gen, offset, len) {
      // The tutorial's shape: the receive posted with its buffer.
      if (naive) return wsaRecv(slot, gen, offset, len);
      // A zero-byte read, as libuv posts on Windows: while the session waits for its peer the
      // kernel holds (and locks) none of its ring; the bytes are copied when it completes.
      const rel = opRel(slot);
      dv.setInt32(rel + RECV_WANT_OFF, offset, true);
      dv.setInt32(rel + RECV_WANT_LEN, len, true);
      counters[C_ZERO_READS]++;
      return wsaRecv(slot, gen, offset, 0);
    },

    postSend(slot, gen, offset, len) {
      const ov = prepare(slot, gen, SEND_OV, SEND_WSABUF, SEND_GEN, offset, len);
      const base = l.opBase + slot * OP_STRIDE;
      const r = w.WSASend(handleOf(slot), base + SEND_WSABUF, 1, 0, 0, ov, 0);
      if (r === 0 || w.WSAGetLastError() === w.WSA_IO_PENDING) return POST_PENDING;
      return POST_FAILED;
    },

    cancel(slot) {
      // Pending operations complete with STATUS_CANCELLED. Always cancel before closesocket:
      // a flow-blocked WSASend otherwise never completes (Wine) until the peer reads.
      const s = handleOf(slot);
      if (s >= 0) w.CancelIoEx(s, 0);
    },

    shutdownSend(slot) {
      const s = handleOf(slot);
      if (s >= 0) w.shutdown(s, w.SD_SEND);
    },

    closeHandle(slot, rst) {
      const b = table.base(slot);
      const s = i32[b + F_HANDLE];
      if (s < 0) return;
      if (rst) w.setsockopt(s, w.SOL_SOCKET, w.SO_LINGER, lingerZero, 4);
      i32[b + F_HANDLE] = -1;
      w.closesocket(s);
    },

    reject(handle) {
      w.setsockopt(handle, w.SOL_SOCKET, w.SO_LINGER, lingerZero, 4);
      w.closesocket(handle);
    },

    stopAccepting() {
      if (cancelledAccepts) return;
      cancelledAccepts = true;
      w.CancelIoEx(listenSocket, 0); // every pending AcceptEx completes with STATUS_CANCELLED
    },

    // A thread that ends stops counting against the port's concurrency: nothing to give up.
    abandon() {},
    dispose() {
      freeArena(scratch.ptr); // only GetQueuedCompletionStatusEx writes here, during the call
    },
  };
}
