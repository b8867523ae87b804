// The flood's send batch: frames leave in the order each socket wrote them, a socket with more
// than one frame in a batch never goes through the ring (which may run two sends in either
// order), and only the bytes the kernel did not take are kept, as a copy of the reused area.
import { afterEach, describe, expect, it } from 'vitest';
import { SendBatch, BATCH_FRAMES, type BatchedSocket, type SendRing } from '../../src/client/transport/sendBatch.js';
import { ECONNRESET } from '../../src/native/linux/errno.js';
import { AF_UNIX, MSG_NOSIGNAL, SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_STREAM, loadLibc } from '../../src/native/linux/libc.js';
import { sendUntilBlocked } from '../../src/client/transport/nativeSocket.js';
import { Uring } from '../../src/native/linux/uring.js';
import { allocArena, freeArena, viewMemory } from '../../src/native/memory.js';
import { ioUringAvailable } from '../../src/native/platform.js';
import { EAGAIN, EINTR } from '../../src/native/linux/errno.js';

/** A made-up native address for the area: the fakes below only do arithmetic with it. */
const AREA_ADDR = 0x100000;

/** Every send, in the order the batch made them: which socket, from where in the area, how much, by which path. */
type Sent = { fd: number; off: number; len: number; via: 'ring' | 'call' };

/** A socket that records its sends; `takes` scripts how many bytes each sendNow() call takes (default: all). */
class FakeSocket implements BatchedSocket {
  framesInBatch = 0;
  closed = false;
  readonly unsent: Buffer[] = [];
  readonly failures: [string, number][] = [];
  takes: number[] = [];

  constructor(
    readonly fd: number,
    private readonly log: Sent[],
  ) {}

  get canSendNow(): boolean {
    return !this.closed && this.unsent.length === 0;
  }

  sendNow(addr: number, len: number): number {
    this.log.push({ fd: this.fd, off: addr - AREA_ADDR, len, via: 'call' });
    return this.takes.length > 0 ? this.takes.shift()! : len;
  }

  keepUnsent(part: Buffer): void {
    if (part.length > 0) this.unsent.push(part);
  }

  failLater(syscall: string, e: number): void {
    this.failures.push([syscall, e]);
  }

  /** Each stamp: its time, and how many sends the log held when it came. */
  readonly stamps: { at: number; sendsBefore: number }[] = [];
  stampSend(at: number): void {
    this.stamps.push({ at, sendsBefore: this.log.length });
  }
}

/**
 * A ring that runs what was prepared in reverse order (a real ring promises no order), records
 * each send and answers with `results[fd]` (bytes or -errno; default: all of it).
 */
class FakeRing implements SendRing {
  prepared = 0;
  readonly runs: number[][] = [];
  readonly results = new Map<number, number>();
  private queued: { fd: number; addr: number; len: number; tag: number }[] = [];

  constructor(
    readonly capacity: number,
    private readonly log: Sent[],
  ) {}

  prepSend(fd: number, addr: number, len: number, flags: number, tag: number): void {
    expect(flags & MSG_NOSIGNAL).toBe(MSG_NOSIGNAL);
    if (this.prepared === this.capacity) throw new RangeError('ring full');
    this.queued.push({ fd, addr, len, tag });
    this.prepared++;
  }

  run(results: Int32Array): number {
    const ops = this.queued.reverse();
    this.queued = [];
    this.prepared = 0;
    this.runs.push(ops.map((o) => o.fd));
    for (const o of ops) {
      this.log.push({ fd: o.fd, off: o.addr - AREA_ADDR, len: o.len, via: 'ring' });
      results[o.tag] = this.results.get(o.fd) ?? o.len;
    }
    return ops.length;
  }
}

/** Encodes a frame of `len` bytes of `fill` into the batch, as the transport does, and adds it. */
function write(batch: SendBatch, s: BatchedSocket, len: number, fill: number): number {
  const off = batch.offsetFor(len);
  expect(off).toBeGreaterThanOrEqual(0);
  batch.area.fill(fill, off, off + len);
  expect(batch.add(s, off, len)).toBe(true);
  return off;
}

function setup(ringCapacity: number | null) {
  const log: Sent[] = [];
  const ring = ringCapacity === null ? null : new FakeRing(ringCapacity, log);
  const batch = new SendBatch(Buffer.alloc(64 * 1024), AREA_ADDR, ring);
  batch.collecting = true;
  const socket = (fd: number) => new FakeSocket(fd, log);
  return { log, ring, batch, socket };
}

describe('send batch: order', () => {
  it('sends each frame once, in the order written, with a call each when there is no ring', () => {
    const { log, batch, socket } = setup(null);
    const [a, b] = [socket(10), socket(11)];
    const offs = [write(batch, a, 100, 1), write(batch, b, 50, 2), write(batch, a, 70, 3), write(batch, a, 30, 4), write(batch, b, 20, 5)];
    expect([a.framesInBatch, b.framesInBatch, batch.size]).toEqual([3, 2, 5]);
    batch.send();
    expect(log).toEqual([
      { fd: 10, off: offs[0], len: 100, via: 'call' },
      { fd: 11, off: offs[1], len: 50, via: 'call' },
      { fd: 10, off: offs[2], len: 70, via: 'call' },
      { fd: 10, off: offs[3], len: 30, via: 'call' },
      { fd: 11, off: offs[4], len: 20, via: 'call' },
    ]);
    expect([a.framesInBatch, b.framesInBatch, batch.size]).toEqual([0, 0, 0]);
    expect(batch.offsetFor(10)).toBe(0); // the area is free again
  });

  it('sends a socket with two frames in the batch with calls of its own, in order, never through the ring', () => {
    const { log, ring, batch, socket } = setup(64);
    const [a, b, c] = [socket(10), socket(11), socket(12)];
    const a0 = write(batch, a, 100, 1);
    const b0 = write(batch, b, 40, 2);
    const a1 = write(batch, a, 60, 3);
    const c0 = write(batch, c, 80, 4);
    batch.send();
    expect(ring!.runs).toEqual([[12, 11]]);
    expect(log.filter((e) => e.via === 'ring')).toEqual([
      { fd: 12, off: c0, len: 80, via: 'ring' },
      { fd: 11, off: b0, len: 40, via: 'ring' },
    ]);
    expect(log.filter((e) => e.fd === 10)).toEqual([
      { fd: 10, off: a0, len: 100, via: 'call' },
      { fd: 10, off: a1, len: 60, via: 'call' },
    ]);
    expect(log).toHaveLength(4); // nothing sent twice
  });

  it('sends a frame alone in its batch with a plain call: one send is not worth a ring call', () => {
    const { log, ring, batch, socket } = setup(64);
    const a = socket(10);
    write(batch, a, 100, 1);
    batch.send();
    expect(ring!.runs).toEqual([]);
    expect(log).toEqual([{ fd: 10, off: 0, len: 100, via: 'call' }]);
  });

  it('puts a frame behind bytes its socket already queued: whole, not sent, not through the ring', () => {
    const { log, ring, batch, socket } = setup(64);
    const [a, b] = [socket(10), socket(11)];
    a.keepUnsent(Buffer.from('earlier'));
    write(batch, a, 100, 7);
    write(batch, b, 50, 2);
    batch.send();
    expect(ring!.runs).toEqual([[11]]);
    expect(log.filter((e) => e.fd === 10)).toEqual([]);
    expect(a.unsent.map((p) => p.toString('latin1'))).toEqual(['earlier', '\x07'.repeat(100)]);
  });

  it('drops the frames of a socket closed before the batch is sent', () => {
    const { log, batch, socket } = setup(64);
    const [a, b] = [socket(10), socket(11)];
    write(batch, a, 100, 1);
    write(batch, b, 50, 2);
    a.closed = true;
    batch.send();
    expect(log.map((e) => e.fd)).toEqual([11]);
    expect(a.unsent).toEqual([]);
    expect(a.framesInBatch).toBe(0);
  });

  it('sends a batch larger than the ring in ring-sized calls', () => {
    const { ring, batch, socket } = setup(4);
    const socks = Array.from({ length: 10 }, (_, i) => socket(20 + i));
    for (const s of socks) write(batch, s, 10, 1);
    batch.send();
    expect(ring!.runs.map((r) => r.length)).toEqual([4, 4, 2]);
    expect(ring!.runs.flat().sort()).toEqual(socks.map((s) => s.fd));
  });
});

describe('send batch: what is kept', () => {
  it('keeps only the bytes a plain send did not take, as a copy of the area', () => {
    const { log, batch, socket } = setup(null);
    const a = socket(10);
    const off = write(batch, a, 100, 0);
    for (let i = 0; i < 100; i++) batch.area[off + i] = i;
    a.takes = [30];
    batch.send();
    expect(log).toEqual([{ fd: 10, off, len: 100, via: 'call' }]);
    expect(a.unsent).toHaveLength(1);
    expect([...a.unsent[0]!]).toEqual(Array.from({ length: 70 }, (_, i) => 30 + i));
    batch.area.fill(0xee); // the next batch reuses the area
    expect([...a.unsent[0]!]).toEqual(Array.from({ length: 70 }, (_, i) => 30 + i));
  });

  it('after a partial ring send, sends the rest with a call and keeps only what that did not take', () => {
    const { log, ring, batch, socket } = setup(64);
    const [a, b] = [socket(10), socket(11)];
    const off = write(batch, a, 100, 0);
    for (let i = 0; i < 100; i++) batch.area[off + i] = i;
    write(batch, b, 10, 1);
    ring!.results.set(10, 40);
    a.takes = [25];
    batch.send();
    expect(log.filter((e) => e.fd === 10)).toEqual([
      { fd: 10, off, len: 100, via: 'ring' },
      { fd: 10, off: off + 40, len: 60, via: 'call' },
    ]);
    expect([...a.unsent[0]!]).toEqual(Array.from({ length: 35 }, (_, i) => 65 + i));
  });

  it.each([
    ['EAGAIN', EAGAIN],
    ['EINTR', EINTR],
  ])('after a ring send refused with %s, sends the whole frame with a call and keeps what that did not take', (_, e) => {
    const { log, ring, batch, socket } = setup(64);
    const [a, b] = [socket(10), socket(11)];
    write(batch, b, 10, 0x55); // the bytes just before a's frame in the area
    const off = write(batch, a, 100, 0);
    for (let i = 0; i < 100; i++) batch.area[off + i] = i;
    ring!.results.set(10, -e);
    a.takes = [20];
    batch.send();
    expect(log.filter((x) => x.fd === 10)).toEqual([
      { fd: 10, off, len: 100, via: 'ring' },
      { fd: 10, off, len: 100, via: 'call' },
    ]);
    expect(a.failures).toEqual([]);
    expect([...a.unsent[0]!]).toEqual(Array.from({ length: 80 }, (_, i) => 20 + i));
  });

  it('keeps nothing after a send that failed: the socket reports the error', () => {
    const { batch, socket } = setup(null);
    const a = socket(10);
    write(batch, a, 100, 1);
    a.takes = [-1];
    batch.send();
    expect(a.unsent).toEqual([]);
  });

  it('reports a ring send that failed, and neither retries it nor keeps it', () => {
    const { log, ring, batch, socket } = setup(64);
    const [a, b] = [socket(10), socket(11)];
    write(batch, a, 100, 1);
    write(batch, b, 10, 1);
    ring!.results.set(10, -ECONNRESET);
    batch.send();
    expect(a.failures).toEqual([['write', ECONNRESET]]);
    expect(log.filter((e) => e.fd === 10)).toEqual([{ fd: 10, off: 0, len: 100, via: 'ring' }]);
    expect(a.unsent).toEqual([]);
  });
});

describe('send batch: what joins', () => {
  it('takes frames only while collecting, each right after the last, within the area and the frame limit', () => {
    const { batch, socket } = setup(null);
    const a = socket(10);
    batch.collecting = false;
    expect(batch.offsetFor(10)).toBe(-1);
    expect(batch.add(a, 0, 10)).toBe(false);
    batch.collecting = true;
    expect(batch.offsetFor(batch.area.length + 1)).toBe(-1);
    write(batch, a, 10, 1);
    expect(batch.add(a, 20, 10)).toBe(false); // not where the last frame ended
    for (let i = 1; i < BATCH_FRAMES; i++) write(batch, a, 1, 1);
    expect(batch.offsetFor(1)).toBe(-1);
    expect(batch.add(a, batch.size + 9, 1)).toBe(false);
    expect(a.framesInBatch).toBe(BATCH_FRAMES);
  });
});

/** A socket over one end of a real socketpair, sending through the transport sockets' own send loop. */
class PairSocket implements BatchedSocket {
  framesInBatch = 0;
  closed = false;
  readonly unsent: Buffer[] = [];
  readonly failures: [string, number][] = [];

  constructor(readonly fd: number) {}

  stampSend(): void {}

  get canSendNow(): boolean {
    return !this.closed && this.unsent.length === 0;
  }

  sendNow(addr: number, len: number): number {
    const sent = sendUntilBlocked(loadLibc(), this.fd, addr, len);
    if (sent >= 0) return sent;
    this.failLater('write', -sent);
    return -1;
  }

  keepUnsent(part: Buffer): void {
    if (part.length > 0) this.unsent.push(part);
  }

  failLater(syscall: string, e: number): void {
    this.failures.push([syscall, e]);
  }
}

const kernelPaths = [
  { name: 'plain calls', ring: false },
  ...(ioUringAvailable() ? [{ name: 'io_uring', ring: true }] : []),
];

// Real sockets through libc: Linux's.
describe.runIf(process.platform === 'linux').each(kernelPaths)('send batch over real sockets ($name)', ({ ring: useRing }) => {
  const fds: number[] = [];
  let arena: { ptr: bigint; address: number } | null = null;
  let ring: Uring | null = null;

  afterEach(() => {
    for (const fd of fds.splice(0)) loadLibc().close(fd);
    ring?.close();
    ring = null;
    if (arena) freeArena(arena.ptr);
    arena = null;
  });

  function pairs(n: number): { near: PairSocket; far: number }[] {
    const libc = loadLibc();
    return Array.from({ length: n }, () => {
      const sv = [-1, -1];
      expect(libc.socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv)).toBe(0);
      fds.push(sv[0]!, sv[1]!);
      return { near: new PairSocket(sv[0]!), far: sv[1]! };
    });
  }

  function realBatch(): SendBatch {
    const bytes = 64 * 1024;
    arena = allocArena(bytes);
    ring = useRing ? Uring.open(64) : null;
    const b = new SendBatch(Buffer.from(viewMemory(arena.address, bytes)), arena.address, ring);
    b.collecting = true;
    return b;
  }

  /** Everything readable on `fd` now. */
  function drain(fd: number): Buffer {
    const buf = Buffer.alloc(1 << 20);
    const libc = loadLibc();
    const scratch = allocArena(64 * 1024);
    try {
      let got = 0;
      for (;;) {
        const n = libc.recv(fd, scratch.address, 64 * 1024, 0);
        if (n <= 0) break;
        Buffer.from(viewMemory(scratch.address, n)).copy(buf, got);
        got += n;
      }
      return buf.subarray(0, got);
    } finally {
      freeArena(scratch.ptr);
    }
  }

  it("delivers each socket's frames in the order written", () => {
    const batch = realBatch();
    const [x, y, z] = pairs(3);
    // x: three frames (plain calls, in order); y and z: one each (the ring, where there is one).
    const plan: [PairSocket, number, number][] = [
      [x!.near, 300, 0x11],
      [y!.near, 200, 0x21],
      [x!.near, 500, 0x12],
      [z!.near, 100, 0x31],
      [x!.near, 700, 0x13],
    ];
    for (const [s, len, fill] of plan) write(batch, s, len, fill);
    batch.send();
    const expected = (s: PairSocket) =>
      Buffer.concat(plan.filter(([p]) => p === s).map(([, len, fill]) => Buffer.alloc(len, fill)));
    for (const p of [x!, y!, z!]) {
      expect(drain(p.far).equals(expected(p.near))).toBe(true);
      expect(p.near.unsent).toEqual([]);
    }
  });

  it('keeps the whole frame, and only it, for a socket whose kernel buffer is full', () => {
    const batch = realBatch();
    const [x, y] = pairs(2);
    // Fill x's buffer: everything so far was taken, so nothing is queued, but the next send waits.
    const filler = allocArena(4096);
    try {
      while (loadLibc().send(x!.near.fd, filler.address, 4096, MSG_NOSIGNAL) > 0);
    } finally {
      freeArena(filler.ptr);
    }
    write(batch, y!.near, 100, 0x21); // the bytes just before x's frame in the area
    const off = write(batch, x!.near, 300, 0);
    for (let i = 0; i < 300; i++) batch.area[off + i] = i & 0xff;
    batch.send();
    expect(x!.near.failures).toEqual([]);
    expect(x!.near.unsent).toHaveLength(1);
    expect([...x!.near.unsent[0]!]).toEqual(Array.from({ length: 300 }, (_, i) => i & 0xff));
    expect(drain(y!.far).equals(Buffer.alloc(100, 0x21))).toBe(true);
  });
});

describe('send batch: where round trips start', () => {
  it.each([null, 64])('stamps every socket of the batch once per frame, before its first call (ring %s)', (capacity) => {
    const { log, batch, socket } = setup(capacity);
    const [a, b, c] = [socket(10), socket(11), socket(12)];
    write(batch, a, 100, 1);
    write(batch, b, 50, 2);
    write(batch, a, 70, 3);
    write(batch, c, 20, 4);
    const t0 = performance.now();
    batch.send();
    expect(log.length).toBeGreaterThanOrEqual(4);
    for (const s of [a, b, c]) {
      expect(s.stamps.length).toBe(s === a ? 2 : 1);
      for (const st of s.stamps) {
        expect(st.sendsBefore).toBe(0); // before any call of the batch
        expect(st.at).toBeGreaterThanOrEqual(t0);
      }
    }
  });
});
