/**
 * The backend contract, modelled on completions (the Windows shape): a worker posts an operation,
 * the OS (or, on Linux, the backend doing the I/O on readiness) later reports one completion for
 * it, identified by (slot, generation, op) — never by a pointer. The echo engine in engine.ts is
 * written once against this contract; each OS folder implements it and imports only this file
 * from the server (backends.ts is the switch that picks one).
 */
import type { Counters } from './counters.js';
import type { SessionTable } from './sessionTable.js';
import type { BackendName, ServerOptions } from './types.js';

export const OP_RECV = 0;
export const OP_SEND = 1;
export const OP_ACCEPT = 2; // `handle` holds the accepted socket
export const OP_CONTROL = 3; // `slot` holds a CONTROL_* code

export const CONTROL_CLOSE_ALL = 1;
export const CONTROL_EXIT = 2;

/** Results of postRecv/postSend besides ">= 0: completed inline with that many bytes". */
export const POST_PENDING = -1;
/**
 * Taken, to be made at the port's next wait() together with the others taken by then (one
 * system call for the lot); its completion comes from that wait. Pending, but not because the
 * socket pushed back: the engine treats it as an inline send that has not happened yet.
 */
export const POST_QUEUED = -3;
/** Failed at once: no completion will come; the caller releases the reference itself. */
export const POST_FAILED = -2;

/**
 * The status of an operation that failed as it was posted, whatever the call's reason (the peer's
 * reset, too), or for want of a descriptor for a send to wait on; also of a call that failed
 * without saying why (errno 0). The session it ends is reset: a FIN would pass for a clean end of
 * its cut-short echo. An operation that completed with an error (mostly the peer's reset, with
 * the connection gone already) has the OS's status instead, and its session closes without.
 */
export const STATUS_LOCAL_FAILURE = -1;

/** Completions dequeued by one wait(), struct-of-arrays so the hot path allocates nothing. */
export interface CompletionBatch {
  readonly slot: Int32Array;
  readonly gen: Int32Array;
  readonly op: Int32Array;
  readonly bytes: Int32Array;
  /** 0 = success; anything else is the OS's status (errno, NTSTATUS) and means failed. */
  readonly status: Int32Array;
  readonly handle: Float64Array;
}

export function makeBatch(size: number): CompletionBatch {
  return {
    slot: new Int32Array(size),
    gen: new Int32Array(size),
    op: new Int32Array(size),
    bytes: new Int32Array(size),
    status: new Int32Array(size),
    handle: new Float64Array(size),
  };
}

/** A backend's own part of WorkerInit: structured-clone safe (a SharedArrayBuffer is shared, not copied). */
export type NativeInit = Record<string, number | string | SharedArrayBuffer>;

/** What a worker thread gets; every field is structured-clone safe. */
export interface WorkerInit {
  backend: BackendName;
  index: number;
  table: SharedArrayBuffer;
  /** SessionTable.clockOrigin, so every thread reads activity times on one clock. */
  tableClockOrigin: number;
  counters: SharedArrayBuffer;
  options: ServerOptions;
  /** Backend-specific handles, addresses and shared memory (fds, port handle, arena address). */
  native: NativeInit;
}

/** The worker half: everything here runs on a worker thread and may block in wait(). */
export interface PortBackend {
  /** Block up to timeoutMs for completions; fills batch, returns how many. */
  wait(batch: CompletionBatch, timeoutMs: number): number;
  /** Bind an accepted socket to the port and to its slot. False: the socket is unusable. */
  attach(slot: number, gen: number, handle: number): boolean;
  /**
   * Receive into ring[offset, offset+len). The caller has already taken the op's reference.
   * `echoAtOnce`: the ring is empty and no send is posted, so the engine will post a send of
   * exactly the received bytes while it handles this completion (or never, if the session is
   * closing). A backend may then receive into a buffer of its own and send from there, the
   * ring untouched; it must still leave in ring[offset, ...) whatever such a send does not take.
   */
  postRecv(slot: number, gen: number, offset: number, len: number, echoAtOnce: boolean): number;
  /**
   * Send ring[offset, offset+len). The caller has already taken the op's reference. May return
   * POST_QUEUED: the send is made at this port's next wait(), which reports its completion.
   */
  postSend(slot: number, gen: number, offset: number, len: number): number;
  /**
   * Abort the slot's pending operations; each still completes (with an error) later.
   * `abortive`: the session is about to be reset and no send is pending, so nothing (no FIN)
   * should reach the peer before the RST.
   */
  cancel(slot: number, abortive: boolean): void;
  /** Send our FIN after the last echoed byte. */
  shutdownSend(slot: number): void;
  /** Close the slot's socket (RST when asked). Only once its reference count is zero. */
  closeHandle(slot: number, rst: boolean): void;
  /** Reset and close an accepted socket that got no slot (table full, or stopping). */
  reject(handle: number): void;
  /** Stop accepting: no new OP_ACCEPT completions after the pending ones drain. */
  stopAccepting(): void;
  /** The worker leaves: free this thread's native scratch memory. No call may follow. */
  dispose(): void;
  /**
   * The worker is dying of an error: give up what the other workers wait for (the epoll backend's
   * run token, and its listener when this worker left it disarmed), and free nothing, as its
   * state may be half-made. No call may follow.
   */
  abandon(): void;
}

/** The main-thread half: owns the port, the listener and the native arena. */
export interface BackendHost {
  readonly name: BackendName;
  readonly address: { host: string; port: number };
  /** Backend-specific part of WorkerInit. */
  readonly native: NativeInit;
  /** Workers allowed to run at once: --concurrency as this backend resolves it (0: its default). */
  readonly concurrency: number;
  /** Queue `count` control packets (CONTROL_*) that wake that many workers. */
  postControl(code: number, count: number): void;
  /**
   * After every worker has exited: close the listener and the port first, then free the arena,
   * unless `drained` is false: with operations still outstanding the kernel may yet write into
   * their OVERLAPPEDs and buffers, so the memory is left to the process's exit instead.
   */
  dispose(drained: boolean): void;
}

export interface HostContext {
  options: ServerOptions;
  table: SessionTable;
  counters: Counters;
}
