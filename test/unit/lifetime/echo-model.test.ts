// Under seeded random schedules (posts answered inline, pending, queued or failed, partial sends,
// EOFs, resets, idle scans, close-all, a full table, slot reuse) the echo engine echoes every byte in
// order and keeps every lifetime rule: a model checks each backend call as it happens and the
// table, the byte rings and the counters after every step.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
  makeBatch,
} from '../../../src/server/completion.js';
import * as C from '../../../src/server/counters.js';
import { EchoEngine } from '../../../src/server/engine.js';
import { STATE_CLOSING, STATE_FREE, STATE_OPEN, SessionTable } from '../../../src/server/sessionTable.js';
import { FakePort, type Call, type PostCall } from '../../helpers/fakePort.js';
import { prng } from '../../../src/client/run/scenarios.js';

const COUNTER_NAMES = new Map(Object.entries(C).filter(([k]) => k.startsWith('C_')).map(([k, v]) => [v as number, k]));
const STATUS_RESET = 0xc000020d | 0;
const STATUS_CANCELLED = 0xc0000120 | 0;
/** Fake wall clock: the table's epoch, and where Date.now() starts. */
const EPOCH = 1_700_000_000_000;
const IDLE_MS = 40;
/** Inline answers allowed within one step (each one nests a completion inside the post). */
const MAX_INLINE = 24;


/** Byte i of client id's stream: a hash, so streams need no storage and differ between clients. */
function streamByte(id: number, i: number): number {
  let h = Math.imul(id + 1, 0x9e3779b1) ^ Math.imul(i + 7, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) & 0xff;
}

/** Cheap checks for the hot path (expect() costs more than the engine it checks). */
function ok(cond: boolean, what: string): void {
  if (!cond) throw new Error(`model: ${what}`);
}
function is<T>(got: T, want: T, what: string): void {
  if (got !== want) throw new Error(`model: ${what}: got ${String(got)}, want ${String(want)}`);
}

interface Op {
  kind: 'recv' | 'send';
  off: number;
  len: number;
  queued: boolean;
  cancelled: boolean;
}

interface Client {
  id: number;
  handle: number;
  slot: number;
  gen: number;
  /** Bytes of its stream written into the ring by receives, and of those, echoed back by sends. */
  delivered: number;
  echoed: number;
  recv: Op | null;
  send: Op | null;
  /** The peer's FIN reached the engine. */
  eof: boolean;
  /** Why the session left OPEN, when something other than a finished echo closed it. */
  closedBy: null | 'plain' | 'rst';
  /** Our FIN was sent (the echo finished). */
  finished: boolean;
  freed: boolean;
  rejected: boolean;
  cancels: number;
  /** A peer that goes quiet: its receives complete only once cancelled (so idle scans find it). */
  quiet: boolean;
  /** Time of its last completion, in the table's clock. */
  active: number;
}

interface Config {
  seed: number;
  size: number;
  capacity: number;
  steps: number;
}

/** What the whole run exercised, so that a quiet generator cannot pass unnoticed. */
interface Tally {
  echoedBytes: number;
  partialSends: number;
  fullRings: number;
  finished: number;
  idleClosed: number;
  rejected: number;
  attachFailures: number;
  stale: number;
  batches: number;
  raceCloses: number;
  queued: number;
  reused: number;
  stopRaces: number;
}

class World {
  readonly rnd: () => number;
  readonly table: SessionTable;
  readonly port: FakePort;
  readonly counters = new Float64Array(C.ROW);
  readonly engine: EchoEngine;
  readonly batch = makeBatch(4);
  readonly clients: Client[] = [];
  readonly bySlot: Array<Client | undefined> = [];
  readonly want = new Map<number, number>();
  peak = 0;
  now = 5_000;
  lastScan = 0;
  stopping = false;
  accepting: Client | null = null;
  acceptAttachFails = false;
  /** The next post is the accept's first receive. */
  acceptPost = false;
  /** The slot whose send was just answered POST_QUEUED (cleared by the next backend call). */
  queuedSend = -1;
  /** Begin the shutdown while the next accepted session's first receive is being posted. */
  stopAtNextAccept = false;
  /** During a batch the model has applied every entry while the engine runs them one by one. */
  inBatch = false;
  inline = 0;
  nextHandle = 1000;

  constructor(
    readonly cfg: Config,
    readonly tally: Tally,
  ) {
    this.rnd = prng(cfg.seed);
    vi.setSystemTime(EPOCH + this.now);
    this.table = new SessionTable(cfg.capacity, EPOCH);
    this.port = new FakePort(this.table, cfg.size);
    this.engine = new EchoEngine(this.table, this.port, this.counters, {
      bufferSize: cfg.size,
      lifetime: 'refcount',
      idleTimeoutMs: IDLE_MS,
    });
    this.port.onCall = (call) => this.onCall(call);
    this.port.fallback = (call) => this.answer(call);
    for (const k of [
      C.C_ACCEPTED, C.C_FREED, C.C_REJECTED, C.C_POSTED, C.C_COMPLETED, C.C_FAILED, C.C_STALE,
      C.C_BYTES_IN, C.C_BYTES_OUT, C.C_COMPLETIONS, C.C_IDLE_CLOSED, C.C_DOUBLE_FREES, C.C_SEND_BACKPRESSURE,
    ]) this.want.set(k, 0);
  }

  count(k: number, n = 1): void {
    this.want.set(k, this.want.get(k)! + n);
  }

  pick(n: number): number {
    return Math.floor(this.rnd() * n);
  }

  isOpen(c: Client): boolean {
    return c.slot >= 0 && !c.freed && c.closedBy === null && !c.finished;
  }

  live(): Client[] {
    return this.clients.filter((c) => c.slot >= 0 && !c.freed);
  }

  pending(c: Client): number {
    return (c.recv ? 1 : 0) + (c.send ? 1 : 0);
  }

  // ---- the kernel's side of the bytes ----

  receive(c: Client, op: Op, n: number): void {
    const ring = this.port.ring(c.slot);
    for (let k = 0; k < n; k++) ring[op.off + k] = streamByte(c.id, c.delivered + k);
    c.delivered += n;
    this.count(C.C_BYTES_IN, n);
    if (c.delivered - c.echoed === this.cfg.size) this.tally.fullRings++;
  }

  transmit(c: Client, op: Op, n: number): void {
    const ring = this.port.ring(c.slot);
    for (let k = 0; k < n; k++) {
      const got = ring[op.off + k];
      const exp = streamByte(c.id, c.echoed + k);
      if (got !== exp) throw new Error(`client ${c.id}: echoed byte ${c.echoed + k} is ${got}, sent ${exp}`);
    }
    c.echoed += n;
    ok(c.echoed <= c.delivered, 'echoed more than was received');
    this.count(C.C_BYTES_OUT, n);
    this.tally.echoedBytes += n;
    if (n < op.len) this.tally.partialSends++;
  }

  // ---- every backend call, checked when it is made ----

  onCall(call: Call): void {
    // A queued send is like an inline send that has not happened yet: its completion decides the
    // next receive, none is posted beside it.
    const queuedSend = this.queuedSend;
    this.queuedSend = -1;
    if (call.kind === 'recv') ok(call.slot !== queuedSend, 'a receive posted beside a queued send');
    switch (call.kind) {
      case 'attach': {
        const c = this.accepting;
        ok(c !== null, 'attach outside an accept');
        is(call.handle, c!.handle, 'attached handle');
        ok(this.bySlot[call.slot] === undefined, 'a slot handed out twice');
        is(this.table.state(call.slot), STATE_OPEN, 'state at attach');
        is(this.table.refs(call.slot), 1, 'refs at attach (the accepting path\'s)');
        is(call.gen, this.table.generation(call.slot), 'generation at attach');
        if (this.clients.some((o) => o.freed && o.slot === call.slot)) this.tally.reused++;
        c!.slot = call.slot;
        c!.gen = call.gen;
        c!.active = this.now;
        this.bySlot[call.slot] = c!;
        this.count(C.C_ACCEPTED);
        this.peak = Math.max(this.peak, this.live().length);
        if (this.acceptAttachFails) {
          c!.closedBy = 'plain';
          this.tally.attachFailures++;
        }
        return;
      }
      case 'reject':
        is(this.accepting?.handle, call.handle, 'rejected handle');
        this.accepting!.rejected = true;
        return;
      case 'recv':
      case 'send':
        this.onPost(call);
        return;
      case 'cancel': {
        const c = this.bySlot[call.slot]!;
        ok(c !== undefined, 'cancel of a slot nobody owns');
        is(this.isOpen(c), false, 'cancel of an open session');
        is(this.table.state(call.slot), STATE_CLOSING, 'state at cancel');
        if (!this.inBatch) {
          ok(this.pending(c) > 0, 'cancel with nothing pending');
          // The close's own cancel is abortive only for a reset with no send pending; a post's re-check never is.
          const first = c.cancels === 0;
          is(call.abortive, first && c.closedBy === 'rst' && c.send === null, 'abortive cancel');
        }
        c.cancels++;
        if (c.recv) c.recv.cancelled = true;
        if (c.send) c.send.cancelled = true;
        return;
      }
      case 'shutdownSend': {
        const c = this.bySlot[call.slot]!;
        ok(c !== undefined, 'FIN on a slot nobody owns');
        is(c.finished, false, 'a second FIN');
        if (!this.inBatch) {
          is(this.isOpen(c), true, 'FIN on a session that is not open');
          is(c.eof, true, 'FIN before the peer\'s');
          is(c.echoed, c.delivered, 'FIN before every byte was echoed');
          ok(c.send === null, 'FIN with a send pending');
          ok(c.recv === null, 'FIN with a receive pending');
        }
        c.finished = true;
        this.tally.finished++;
        return;
      }
      case 'closeHandle': {
        const c = this.bySlot[call.slot]!;
        ok(c !== undefined, 'closeHandle of a slot nobody owns');
        is(c.freed, false, 'a second closeHandle');
        is(call.refsAtCall, 0, 'refs at closeHandle');
        ok(c.recv === null, 'closed with a receive pending');
        ok(c.send === null, 'closed with a send pending');
        is(call.rst, c.closedBy === 'rst', 'closeHandle with RST');
        if (c.closedBy === null) is(c.finished, true, 'closed neither by a failure, a reset nor a finished echo');
        c.freed = true;
        this.bySlot[call.slot] = undefined;
        this.count(C.C_FREED);
        return;
      }
    }
  }

  onPost(call: PostCall): void {
    const c = this.bySlot[call.slot]!;
    ok(c !== undefined, 'post on a slot nobody owns');
    is(call.gen, c.gen, 'posted generation');
    // (During a batch the model may already have applied a failure the engine has yet to run.)
    if (!this.inBatch) is(this.isOpen(c), true, 'post on a session that is not open');
    ok(call.len > 0, 'empty post');
    ok(call.off >= 0, 'post before the ring');
    ok(call.off + call.len <= this.cfg.size, 'post past the ring');
    // Its own reference and the caller's are both held already.
    ok(call.refsAtCall >= this.pending(c) + 2, 'post without its reference (or the caller\'s)');
    const held = c.delivered - c.echoed;
    if (call.kind === 'recv') {
      ok(c.recv === null, 'a second receive');
      is(c.eof, false, 'a receive after the FIN');
      if (!this.inBatch) {
        ok(call.len <= this.cfg.size - held, 'receive over bytes not yet echoed');
        is(call.echoAtOnce, held === 0 && c.send === null, 'echoAtOnce');
      }
      c.recv = { kind: 'recv', off: call.off, len: call.len, queued: false, cancelled: false };
    } else {
      ok(c.send === null, 'a second send');
      if (!this.inBatch) ok(call.len <= held, 'send of more than the ring holds');
      c.send = { kind: 'send', off: call.off, len: call.len, queued: false, cancelled: false };
    }
    this.count(C.C_POSTED);
  }

  /** The backend's answer to a post, chosen at random. */
  answer(call: PostCall): number {
    const c = this.bySlot[call.slot]!;
    const op = (call.kind === 'recv' ? c.recv : c.send)!;
    const pendingAnswer = (): number => {
      if (op.kind === 'send') this.count(C.C_SEND_BACKPRESSURE);
      return POST_PENDING;
    };
    const queuedAnswer = (): number => {
      op.queued = true;
      if (op.kind === 'send') this.queuedSend = call.slot;
      this.tally.queued++;
      return POST_QUEUED;
    };
    const lateAnswer = (): number => (this.rnd() < 0.7 ? pendingAnswer() : queuedAnswer());
    const acceptPost = this.acceptPost;
    this.acceptPost = false;
    if (this.inline >= MAX_INLINE) return lateAnswer();
    const x = this.rnd();
    if (x < 0.35) return lateAnswer();
    if (x < 0.375 && !this.inBatch) {
      // Another worker closes the session while this post is on its way to the OS.
      const rst = this.rnd() < 0.5;
      const wasOpen = this.isOpen(c);
      if (wasOpen) c.closedBy = rst ? 'rst' : 'plain';
      is(this.engine.closeSession(call.slot, rst), wasOpen, 'closeSession made the transition');
      is(this.engine.closeSession(call.slot, rst), false, 'a second close');
      this.tally.raceCloses++;
      return lateAnswer();
    }
    if (acceptPost && this.stopAtNextAccept) {
      // Shutdown begins between the accept's stopping check and the first receive's post.
      this.stopAtNextAccept = false;
      this.tally.stopRaces++;
      this.table.setStopping();
      this.stopping = true;
      c.closedBy = 'rst';
      return pendingAnswer();
    }
    this.inline++;
    this.count(C.C_COMPLETED);
    c.active = this.now;
    if (op.kind === 'recv') c.recv = null;
    else c.send = null;
    if (x < 0.405) {
      this.count(C.C_FAILED);
      if (this.isOpen(c)) c.closedBy = 'rst';
      return POST_FAILED;
    }
    if (op.kind === 'recv') {
      if (x < 0.43) {
        c.eof = true;
        return 0;
      }
      const n = this.rnd() < 0.4 ? op.len : 1 + this.pick(op.len);
      this.receive(c, op, n);
      return n;
    }
    const n = this.rnd() < 0.6 ? op.len : 1 + this.pick(op.len);
    this.transmit(c, op, n);
    return n;
  }

  // ---- the driver ----

  dispatch(n: number): boolean {
    this.queuedSend = -1; // a new completion, not the rest of the post that queued it
    for (let k = n; k < this.batch.op.length; k++) {
      // Past the batch's end: were it read, the worker would stop.
      this.batch.op[k] = OP_CONTROL;
      this.batch.slot[k] = CONTROL_EXIT;
    }
    this.count(C.C_COMPLETIONS, n);
    return this.engine.dispatch(this.batch, n);
  }

  entry(k: number, op: number, slot: number, gen: number, bytes: number, status: number, handle = 0): void {
    this.batch.op[k] = op;
    this.batch.slot[k] = slot;
    this.batch.gen[k] = gen;
    this.batch.bytes[k] = bytes;
    this.batch.status[k] = status;
    this.batch.handle[k] = handle;
  }

  accept(): void {
    const c: Client = {
      id: this.clients.length,
      handle: this.nextHandle++,
      slot: -1,
      gen: -1,
      delivered: 0,
      echoed: 0,
      recv: null,
      send: null,
      eof: false,
      closedBy: null,
      finished: false,
      freed: false,
      rejected: false,
      cancels: 0,
      quiet: this.rnd() < 0.25,
      active: this.now,
    };
    this.clients.push(c);
    const full = this.live().length === this.cfg.capacity;
    const stopping = this.stopping;
    this.acceptAttachFails = this.rnd() < 0.06;
    this.port.attachOk = !this.acceptAttachFails;
    this.accepting = c;
    this.acceptPost = true;
    this.entry(0, OP_ACCEPT, 0, 0, 0, 0, c.handle);
    is(this.dispatch(1), true, 'dispatch asked the worker to stop');
    this.accepting = null;
    this.acceptPost = false;
    this.port.attachOk = true;
    if (stopping || full) {
      is(c.rejected, true, 'accepted into a full or stopping table');
      is(c.slot, -1, 'a slot for a rejected connection');
      if (!stopping) {
        this.count(C.C_REJECTED);
        this.tally.rejected++;
      }
    } else {
      is(c.rejected, false, 'rejected with room in the table');
      ok(c.slot >= 0, 'accepted without a slot');
      if (this.acceptAttachFails) is(c.freed, true, 'a session whose attach failed was kept');
    }
  }

  pendingOps(): Array<[Client, Op]> {
    const out: Array<[Client, Op]> = [];
    for (const c of this.live()) {
      if (c.recv && (!c.quiet || c.recv.cancelled)) out.push([c, c.recv]);
      if (c.send) out.push([c, c.send]);
    }
    return out;
  }

  /** Decide an op's outcome and apply it to the model; returns (bytes, status) for its completion. */
  outcome(c: Client, op: Op, mustFail: boolean): [number, number] {
    if (op.kind === 'recv') c.recv = null;
    else c.send = null;
    this.count(C.C_COMPLETED);
    c.active = this.now;
    const x = this.rnd();
    const fail = mustFail || (op.cancelled ? x < 0.75 : x < 0.03);
    if (fail) {
      this.count(C.C_FAILED);
      if (this.isOpen(c)) c.closedBy = 'plain';
      // A failed op's byte count means nothing (Wine reports bytes already sent).
      return [this.pick(op.len + 1), op.cancelled ? STATUS_CANCELLED : STATUS_RESET];
    }
    if (op.kind === 'recv') {
      if (this.rnd() < 0.04) {
        c.eof = true;
        return [0, 0];
      }
      const n = this.rnd() < 0.4 ? op.len : 1 + this.pick(op.len);
      this.receive(c, op, n);
      return [n, 0];
    }
    const n = this.rnd() < 0.5 ? op.len : 1 + this.pick(op.len);
    this.transmit(c, op, n);
    return [n, 0];
  }

  completeSome(count: number, mustFail = false): void {
    const ops = this.pendingOps();
    if (ops.length === 0) return;
    const chosen: Array<[Client, Op]> = [];
    for (let k = 0; k < count && ops.length > 0; k++) chosen.push(ops.splice(this.pick(ops.length), 1)[0]!);
    this.inBatch = chosen.length > 1;
    if (this.inBatch) this.tally.batches++;
    chosen.forEach(([c, op], k) => {
      const [bytes, status] = this.outcome(c, op, mustFail);
      this.entry(k, op.kind === 'recv' ? OP_RECV : OP_SEND, c.slot, c.gen, bytes, status);
    });
    is(this.dispatch(chosen.length), true, 'dispatch asked the worker to stop');
    this.inBatch = false;
  }

  /** A late completion of a session already freed: counted stale, nothing touched. */
  stale(): void {
    const gone = this.clients.filter((c) => c.freed);
    if (gone.length === 0) return;
    const c = gone[this.pick(gone.length)]!;
    ok(this.table.generation(c.slot) !== c.gen, 'a freed slot kept its generation');
    const status = this.rnd() < 0.5 ? 0 : STATUS_RESET;
    const before = Array.from(this.table.i32);
    const calls = this.port.calls.length;
    this.entry(0, this.rnd() < 0.5 ? OP_RECV : OP_SEND, c.slot, c.gen, this.pick(this.cfg.size) + 1, status);
    this.count(C.C_COMPLETED);
    this.count(C.C_STALE);
    if (status !== 0) this.count(C.C_FAILED);
    is(this.dispatch(1), true, 'dispatch asked the worker to stop');
    is(JSON.stringify(Array.from(this.table.i32)), JSON.stringify(before), 'a stale completion changed the table');
    is(this.port.calls.length, calls, 'a stale completion called the backend');
    this.tally.stale++;
  }

  advance(ms: number): void {
    this.now += ms;
    vi.setSystemTime(EPOCH + this.now);
  }

  scanIdle(): void {
    if (this.now - this.lastScan >= Math.min(IDLE_MS / 2, 1000)) {
      this.lastScan = this.now;
      for (const c of this.live()) {
        if (this.isOpen(c) && this.now - c.active >= IDLE_MS) {
          c.closedBy = 'rst';
          this.count(C.C_IDLE_CLOSED);
          this.tally.idleClosed++;
        }
      }
    }
    this.engine.scanIdle();
  }

  closeAll(): void {
    for (const c of this.live()) if (this.isOpen(c)) c.closedBy = 'rst';
    this.entry(0, OP_CONTROL, CONTROL_CLOSE_ALL, 0, 0, 0);
    is(this.dispatch(1), true, 'dispatch asked the worker to stop');
  }

  step(k: number): void {
    this.inline = 0;
    if (k === Math.floor(this.cfg.steps * 0.9)) this.stopAtNextAccept = true;
    const x = this.rnd();
    if (x < 0.14 || (this.stopAtNextAccept && x < 0.5)) this.accept();
    else if (x < 0.72) this.completeSome(1);
    else if (x < 0.8) this.completeSome(2 + this.pick(2));
    else if (x < 0.83) this.stale();
    else if (x < 0.93) this.advance(this.pick(8));
    else if (x < 0.985) {
      this.advance(this.pick(IDLE_MS));
      this.scanIdle();
    } else this.closeAll();
  }

  check(): void {
    for (const [k, v] of this.want) is(this.counters[k], v, COUNTER_NAMES.get(k)!);
    const live = this.live();
    is(this.table.live(), live.length, 'live sessions');
    is(this.table.peak(), this.peak, 'peak sessions');
    for (const c of live) {
      const s = c.slot;
      is(this.table.generation(s), c.gen, `generation of slot ${s}`);
      is(this.table.state(s), this.isOpen(c) ? STATE_OPEN : STATE_CLOSING, `state of slot ${s}`);
      ok(this.pending(c) > 0, 'a live session with nothing pending');
      is(this.table.refs(s), this.pending(c), `refs of slot ${s}`);
      const held = c.delivered - c.echoed;
      if (this.isOpen(c)) {
        if (held > 0 || c.eof) ok(c.send !== null, 'bytes wait with no send posted');
        if (!c.eof && held < this.cfg.size && !c.send?.queued) ok(c.recv !== null, 'room in the ring and no receive posted');
      } else {
        for (const op of [c.recv, c.send]) if (op) is(op.cancelled, true, 'a closing session kept an op uncancelled');
      }
    }
    for (let s = 0; s < this.cfg.capacity; s++) {
      if (!this.bySlot[s]) is(this.table.state(s), STATE_FREE, `state of unowned slot ${s}`);
    }
  }

  /** Shutdown: stop accepting, reset everything, drain every op. */
  drain(): void {
    this.table.setStopping();
    this.stopping = true;
    this.accept(); // refused while stopping
    this.closeAll();
    this.check();
    for (const c of this.clients) c.quiet = false;
    for (let guard = 0; this.pendingOps().length > 0; guard++) {
      ok(guard < 10_000, 'the drain does not end');
      this.completeSome(1 + this.pick(3));
      this.check();
    }
    is(this.live().length, 0, 'sessions left after the drain');
    is(this.table.live(), 0, 'live sessions after the drain');
    is(this.counters[C.C_FREED], this.counters[C.C_ACCEPTED], 'freed != accepted');
    is(this.counters[C.C_COMPLETED]! - this.counters[C.C_STALE]!, this.counters[C.C_POSTED], 'outstanding ops after the drain');
    for (const c of this.clients) {
      is(c.freed || c.rejected, true, 'a connection neither freed nor rejected');
      if (c.finished) is(c.echoed, c.delivered, 'a finished echo lost bytes');
    }
    this.entry(0, OP_CONTROL, CONTROL_EXIT, 0, 0, 0);
    is(this.dispatch(1), false, 'the exit sentinel did not stop the worker');
  }
}

const CONFIGS: Config[] = [
  { seed: 1, size: 7, capacity: 3, steps: 500 },
  { seed: 2, size: 16, capacity: 4, steps: 500 },
  { seed: 3, size: 5, capacity: 2, steps: 500 },
  { seed: 4, size: 64, capacity: 5, steps: 500 },
  { seed: 5, size: 9, capacity: 3, steps: 500 },
  { seed: 6, size: 12, capacity: 1, steps: 400 },
];

function newTally(): Tally {
  return {
    echoedBytes: 0, partialSends: 0, fullRings: 0, finished: 0, idleClosed: 0, rejected: 0,
    attachFailures: 0, stale: 0, batches: 0, raceCloses: 0, queued: 0, reused: 0, stopRaces: 0,
  };
}

describe('echo engine against a model', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  for (const cfg of CONFIGS) {
    it(`seed ${cfg.seed}: ring ${cfg.size} B, ${cfg.capacity} slots, ${cfg.steps} steps`, () => {
      const tally = newTally();
      const w = new World(cfg, tally);
      let k = 0;
      try {
        for (; k < cfg.steps; k++) {
          w.step(k);
          w.check();
        }
        w.drain();
      } catch (e) {
        throw new Error(`seed ${cfg.seed}, step ${k}: ${(e as Error).message}`, { cause: e });
      }
      if (process.env.MODEL_TALLY) console.log(cfg.seed, JSON.stringify(tally));
      // The schedule exercised every kind of event (a quiet generator would prove little).
      for (const [name, n] of Object.entries(tally)) expect(n, name).toBeGreaterThan(0);
    });
  }
});
