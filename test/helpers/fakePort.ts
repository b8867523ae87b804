/**
 * A PortBackend with no sockets, for driving the echo engine's dispatch directly: it records every
 * call (with the slot's reference count at the moment of a post), answers posts as a test tells it
 * (pending by default), and builds the completion batches a test feeds back to dispatch().
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
  /** Answers for the next posts, in order; when empty a post is POST_PENDING. */
  readonly answers: Answer[] = [];
  attachOk = true;

  constructor(private readonly table: SessionTable) {}

  wait(): number {
    return 0;
  }
  attach(slot: number, gen: number, handle: number): boolean {
    this.calls.push({ kind: 'attach', slot, gen, handle });
    return this.attachOk;
  }
  postRecv(slot: number, gen: number, off: number, len: number, echoAtOnce: boolean): number {
    return this.post({ kind: 'recv', slot, gen, off, len, echoAtOnce, refsAtCall: this.table.refs(slot) });
  }
  postSend(slot: number, gen: number, off: number, len: number): number {
    return this.post({ kind: 'send', slot, gen, off, len, echoAtOnce: false, refsAtCall: this.table.refs(slot) });
  }
  cancel(slot: number, abortive: boolean): void {
    this.calls.push({ kind: 'cancel', slot, abortive });
  }
  shutdownSend(slot: number): void {
    this.calls.push({ kind: 'shutdownSend', slot });
  }
  closeHandle(slot: number, rst: boolean): void {
    this.calls.push({ kind: 'closeHandle', slot, rst, refsAtCall: this.table.refs(slot) });
  }
  reject(handle: number): void {
    this.calls.push({ kind: 'reject', handle });
  }
  stopAccepting(): void {}
  dispose(): void {}

  private post(call: PostCall): number {
    this.calls.push(call);
    const answer = this.answers.shift();
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

export function makeRig(opts: { lifetime?: Lifetime; bufferSize?: number; capacity?: number } = {}): Rig {
  const table = new SessionTable(opts.capacity ?? 4);
  const port = new FakePort(table);
  const counters = new Float64Array(ROW);
  const engine = new EchoEngine(table, port, counters, {
    bufferSize: opts.bufferSize ?? 1024,
    lifetime: opts.lifetime ?? 'refcount',
    idleTimeoutMs: 0,
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
