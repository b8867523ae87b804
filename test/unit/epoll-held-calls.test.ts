// The epoll backend's held calls (uringBatch.ts): a new session's receive registration and a
// closed session's close() wait for the worker's next wait and go in its ring call. Until then
// the socket reports no edge and the closed descriptor keeps its number; after it, the edge
// comes with the session's (slot, generation) and the descriptor is gone. A registration that
// fails in the ring completes the receive with a local failure and leaves it unregistered, as
// the plain call's failure does at once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OP_RECV, STATUS_LOCAL_FAILURE, makeBatch, type CompletionBatch } from '../../src/server/completion.js';
import { C_RING_CLOSES, Counters } from '../../src/server/counters.js';
import { F_BFLAGS, F_HANDLE, SessionTable } from '../../src/server/sessionTable.js';
import { EchoRings } from '../../src/server/epoll/echoRings.js';
import { eventGen, eventSlot } from '../../src/server/epoll/dataWord.js';
import { BF_ARMED, BF_RECV_REG, RECV_UNREGISTERED, armReceive } from '../../src/server/epoll/edges.js';
import { EpollSet } from '../../src/server/epoll/epollSet.js';
import { Receiver } from '../../src/server/epoll/receives.js';
import { ScratchEcho } from '../../src/server/epoll/scratchEcho.js';
import { BATCHED_SCRATCH_BYTES, UringBatch } from '../../src/server/epoll/uringBatch.js';
import { AF_UNIX, EPOLL_CLOEXEC, SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_STREAM, loadLibc, type Libc } from '../../src/native/linux/libc.js';
import { allocArena, freeArena } from '../../src/native/memory.js';
import { ringSupports } from '../helpers/ringSupport.js';

const F_GETFD = 1;
const RING_BYTES = 4096;

describe.runIf(ringSupports('epollCtl', 'close'))('epoll held calls', () => {
  let libc: Libc;
  let epfd: number;
  let table: SessionTable;
  let counters: Float64Array;
  let epoll: EpollSet;
  let held: UringBatch;
  let heldOpen: boolean;
  let arena: { ptr: bigint; address: number };
  let scratch: ScratchEcho;
  let batch: CompletionBatch;
  const fds: number[] = [];

  beforeEach(() => {
    libc = loadLibc();
    epfd = libc.epoll_create1(EPOLL_CLOEXEC);
    table = new SessionTable(4);
    counters = new Counters(1).row(0);
    epoll = new EpollSet(libc, epfd, table, 1 << 20, counters);
    arena = allocArena(4 * RING_BYTES);
    const rings = new EchoRings(arena.address, RING_BYTES);
    scratch = new ScratchEcho(libc, rings, 4, true, BATCHED_SCRATCH_BYTES);
    const receiver = new Receiver(libc, table, rings, scratch, false);
    held = new UringBatch(UringBatch.openRing()!, epoll, libc, table, rings, scratch, receiver, counters);
    heldOpen = true;
    batch = makeBatch(16);
  });

  afterEach(() => {
    if (heldOpen) held.close();
    for (const fd of fds.splice(0)) libc.close(fd);
    libc.close(epfd);
    epoll.dispose();
    scratch.dispose();
    freeArena(arena.ptr);
  });

  /** A session on one end of a fresh socketpair, its first receive posted: [slot, gen, peer]. */
  function session(): [number, number, number] {
    const sv = [-1, -1];
    expect(libc.socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv)).toBe(0);
    fds.push(sv[0]!, sv[1]!);
    const slot = table.alloc();
    table.i32[table.base(slot) + F_HANDLE] = sv[0]!;
    expect(armReceive(table.i32, table.base(slot))).toBe(RECV_UNREGISTERED);
    return [slot, table.generation(slot), sv[1]!];
  }

  const poke = (fd: number) => expect(Number(libc.write(fd, arena.address, 1))).toBe(1);

  it('makes a held registration at the next wait: no edge before it, the session\'s edge after', () => {
    const [slot, gen, peer] = session();
    expect(held.holdRegistration(table.i32[table.base(slot) + F_HANDLE]!, slot, gen)).toBe(true);
    poke(peer);
    expect(epoll.wait(64, 0)).toBe(0);
    expect(held.hasQueued()).toBe(true);
    expect(held.flush(batch)).toBe(0);
    expect(held.hasQueued()).toBe(false);
    expect(epoll.wait(64, 0)).toBe(1);
    expect([eventSlot(epoll.events, 0), eventGen(epoll.events, 0)]).toEqual([slot, gen]);
  });

  it('completes the receive with a local failure when its held registration fails', () => {
    const [slot, gen] = session();
    const fd = table.i32[table.base(slot) + F_HANDLE]!;
    // Registered already: the ring's EPOLL_CTL_ADD fails (EEXIST).
    expect(epoll.registerRecv(fd, slot, gen)).toBe(true);
    expect(held.holdRegistration(fd, slot, gen)).toBe(true);
    expect(held.flush(batch)).toBe(1);
    expect([batch.op[0], batch.slot[0], batch.gen[0], batch.bytes[0], batch.status[0]]).toEqual([OP_RECV, slot, gen, 0, STATUS_LOCAL_FAILURE]);
    expect(table.i32[table.base(slot) + F_BFLAGS]! & (BF_ARMED | BF_RECV_REG)).toBe(0);
  });

  it('keeps a held close\'s descriptor until the next wait, then closes it in the ring', () => {
    const [, , peer] = session();
    fds.splice(fds.indexOf(peer), 1);
    expect(held.holdClose(peer, false)).toBe(true);
    expect(libc.fcntl(peer, F_GETFD, 0)).toBeGreaterThanOrEqual(0);
    expect(held.flush(batch)).toBe(0);
    expect(libc.fcntl(peer, F_GETFD, 0)).toBe(-1);
    expect(counters[C_RING_CLOSES]).toBe(1);
  });

  it('makes what is held when the worker leaves', () => {
    const [slot, gen, peer] = session();
    fds.splice(fds.indexOf(peer), 1);
    expect(held.holdRegistration(table.i32[table.base(slot) + F_HANDLE]!, slot, gen)).toBe(true);
    expect(held.holdClose(peer, false)).toBe(true);
    heldOpen = false;
    held.close();
    expect(libc.fcntl(peer, F_GETFD, 0)).toBe(-1);
    // The session's end of the pair now has a hangup to report, through the registration made.
    expect(epoll.wait(64, 0)).toBe(1);
    expect([eventSlot(epoll.events, 0), eventGen(epoll.events, 0)]).toEqual([slot, gen]);
  });
});
