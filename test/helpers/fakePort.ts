/**
 * A PortBackend with no sockets, for driving the echo engine's dispatch directly: it records every
 * call (with the slot's reference count at the moment of a post), answers posts as a test tells it
 * (pending by default), and builds the completion batches a test feeds back to dispatch().
 * Given a ring size it also keeps each slot's echo ring as bytes, so that a test can play the
 * kernel: write what a receive brought into ring[off, off+n), read what a send took from it.
 */
import {
  OP_ACCEPT,
  OP_CONTROL,
  OP_RECV,
  OP_SEND,
  POST_PENDING,
  makeBatch,
  type CompletionBatch,
  type PortBackend,
} from '../../src/server/completion.js';
import { ROW } from '../../src/server/counters.js';
import { EchoEngine } from '../../src/server/engine.js';
import { F_COUNT, F_FLAGS, F_HEAD, SessionTable } from '../../src/server/sessionTable.js';
import type { Lifetime } from '../../src/server/types.js';

export interface PostCall {
  kind: 'recv' | 'send';
  slot: number;
  gen: number;
  off: number;
  len: number;
  echoAtOnce: boolean;
  /** The slot's reference count when the backend was called. */
  refsAtCall: number;
}

export type Call =
  | PostCall
  | { kind: 'cancel'; slot: number; abortive: boolean }
  | { kind: 'closeHandle'; slot: number; rst: boolean; refsAtCall: number }
  | { kind: 'shutdownSend'; slot: number }
  | { kind: 'reject'; handle: number }
  | { kind: 'attach'; slot: number; gen: number; handle: number };

/** What a post answers: a POST_* code or bytes done inline; may act first (another worker racing). */
export type Answer = (call: PostCall) => number;

export class FakePort implements PortBackend {
  readonly calls: Call[] = [];
  /** Answers for the next posts, in order; when empty a post asks `fallback`, else is POST_PENDING. */
  readonly answers: Answer[] = [];
  fallback: Answer | null = null;
  attachOk = true;
  /** Called after each call is recorded (a test's model checks it there, at the moment it happens). */
  onCall: ((call: Call) => void) | null = null;
  private readonly rings: Buffer[] = [];

  /** `ringSize`: keep a byte ring of that size per slot (see ring()). */
  constructor(
    private readonly table: SessionTable,
    private readonly ringSize = 0,
  ) {}

  /** The slot's echo ring (zero-filled at first use; a reused slot keeps the old bytes, as memory does). */
  ring(slot: number): Buffer {
    if (this.ringSize <= 0) throw new Error('this FakePort keeps no rings');
    return (this.rings[slot] ??= Buffer.alloc(this.ringSize));
  }

  wait(): number {
    return 0;
  }
  attach(slot: number, gen: number, handle: number): boolean {
    this.record({ kind: 'attach', slot, gen, handle });
    return this.attachOk;
  }
  postRecv(slot: number, gen: number, off: number, len: number, echoAtOnce: boolean): number {
    return this.post({ kind: 'recv', slot, gen, off, len, echoAtOnce, refsAtCall: this.table.refs(slot) });
  }
  postSend(slot: number, gen: number, off: number, len: number): number {
    return this.post({ kind: 'send', slot, gen, off, len, echoAtOnce: false, refsAtCall: this.table.refs(slot) });
  }
  cancel(slot: number, abortive: boolean): void {
    this.record({ kind: 'cancel', slot, abortive });
  }
  shutdownSend(slot: number): void {
    this.record({ kind: 'shutdownSend', slot });
  }
  closeHandle(slot: number, rst: boolean): void {
    this.record({ kind: 'closeHandle', slot, rst, refsAtCall: this.table.refs(slot) });
  }
  reject(handle: number): void {
    this.record({ kind: 'reject', handle });
  }
  stopAccepting(): void {}
  dispose(): void {}
  abandon(): void {}

  private record(call: Call): void {
    this.calls.push(call);
    this.onCall?.(call);
  }

  private post(call: PostCall): number {
    this.record(call);
    const answer = this.answers.shift() ?? this.fallback;
    return answer ? answer(call) : POST_PENDING;
  }

  /** The posts made so far, optionally of one kind only. */
  posts(kind?: 'recv' | 'send'): PostCall[] {
    return this.calls.filter((c): c is PostCall => (c.kind === 'recv' || c.kind === 'send') && (!kind || c.kind === kind));
  }
  lastPost(kind: 'recv' | 'send'): PostCall {
    const p = this.posts(kind);
    if (p.length === 0) throw new Error(`no ${kind} was posted`);
    return p[p.length - 1]!;
  }
  count(kind: Call['kind']): number {
    return this.calls.filter((c) => c.kind === kind).length;
  }
}

/** Counter row indices are the server's C_* constants. */
export interface Rig {
  table: SessionTable;
  port: FakePort;
  engine: EchoEngine;
  counters: Float64Array;
  /** Accept one connection; returns its slot and generation. */
  accept(handle?: number): { slot: number; gen: number };
  /** Deliver one completion through dispatch(). */
  complete(op: 'recv' | 'send', slot: number, gen: number, bytes: number, status?: number): boolean;
  /** Deliver a control packet (CONTROL_*) through dispatch(). */
  control(code: number): boolean;
  refs(slot: number): number;
  ring(slot: number): { head: number; count: number; flags: number };
}

export interface RigOptions {
  lifetime?: Lifetime;
  bufferSize?: number;
  capacity?: number;
  idleTimeoutMs?: number;
  /** The table's epoch (its clock's zero), for tests that fake Date. */
  epoch?: number;
}

export function makeRig(opts: RigOptions = {}): Rig {
  const table = new SessionTable(opts.capacity ?? 4, opts.epoch);
  const port = new FakePort(table);
  const counters = new Float64Array(ROW);
  const engine = new EchoEngine(table, port, counters, {
    bufferSize: opts.bufferSize ?? 1024,
    lifetime: opts.lifetime ?? 'refcount',
    idleTimeoutMs: opts.idleTimeoutMs ?? 0,
  });
  const batch: CompletionBatch = makeBatch(1);
  const one = (op: number, slot: number, gen: number, bytes: number, status: number, handle = 0): boolean => {
    batch.op[0] = op;
    batch.slot[0] = slot;
    batch.gen[0] = gen;
    batch.bytes[0] = bytes;
    batch.status[0] = status;
    batch.handle[0] = handle;
    return engine.dispatch(batch, 1);
  };
  let nextHandle = 100;
  return {
    table,
    port,
    engine,
    counters,
    accept(handle = nextHandle++) {
      one(OP_ACCEPT, 0, 0, 0, 0, handle);
      const a = [...port.calls].reverse().find((c) => c.kind === 'attach');
      if (!a || a.kind !== 'attach' || a.handle !== handle) throw new Error('the engine did not attach the accepted socket');
      return { slot: a.slot, gen: a.gen };
    },
    complete: (op, slot, gen, bytes, status = 0) => one(op === 'recv' ? OP_RECV : OP_SEND, slot, gen, bytes, status),
    control: (code) => one(OP_CONTROL, code, 0, 0, 0),
    refs: (slot) => table.refs(slot),
    ring(slot) {
      const b = table.base(slot);
      return { head: table.i32[b + F_HEAD]!, count: table.i32[b + F_COUNT]!, flags: table.i32[b + F_FLAGS]! };
    },
  };
}
