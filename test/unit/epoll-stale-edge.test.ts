// A receive edge of an older generation (a socket closed since, its slot freed and reused; a held
// close keeps it registered until the closing worker's next wait) says nothing of the slot's
// current owner: it neither claims the owner's posted receive, which may still wait for its held
// registration, nor marks the owner's hangup. The owner's own edge claims it. The naive lifetime,
// like the tutorial, trusts any edge.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OP_RECV, makeBatch } from '../../src/server/completion.js';
import { F_BFLAGS, SessionTable } from '../../src/server/sessionTable.js';
import { EchoRings } from '../../src/server/epoll/echoRings.js';
import { BF_ARMED, BF_HUP, RECV_UNREGISTERED, armReceive } from '../../src/server/epoll/edges.js';
import { Receiver } from '../../src/server/epoll/receives.js';
import { ScratchEcho } from '../../src/server/epoll/scratchEcho.js';
import { loadLibc } from '../../src/native/linux/libc.js';
import { allocArena, freeArena } from '../../src/native/memory.js';

describe.runIf(process.platform === 'linux')('an edge of an older generation', () => {
  let table: SessionTable;
  let arena: { ptr: bigint; address: number };
  let scratch: ScratchEcho;
  let rings: EchoRings;

  beforeEach(() => {
    table = new SessionTable(1);
    arena = allocArena(4096);
    rings = new EchoRings(arena.address, 4096);
    scratch = new ScratchEcho(loadLibc(), rings, 1, false, 0);
  });

  afterEach(() => {
    scratch.dispose();
    freeArena(arena.ptr);
  });

  /** The one slot, freed once and taken again, its first receive posted: [slot, old gen, new gen]. */
  function reused(): [number, number, number] {
    const slot = table.alloc();
    const old = table.generation(slot);
    expect(table.free(slot)).toBe(true);
    expect(table.alloc()).toBe(slot);
    const gen = table.generation(slot);
    expect(gen).not.toBe(old);
    expect(armReceive(table.i32, table.base(slot))).toBe(RECV_UNREGISTERED);
    return [slot, old, gen];
  }

  const flags = (slot: number) => table.i32[table.base(slot) + F_BFLAGS]!;

  it('neither claims the new owner\'s receive nor marks its hangup; the owner\'s edge claims it', () => {
    const receiver = new Receiver(loadLibc(), table, rings, scratch, false);
    const [slot, old, gen] = reused();
    const batch = makeBatch(4);
    expect(receiver.claim(batch, 0, slot, old, true)).toBe(false);
    expect(flags(slot) & BF_HUP).toBe(0);
    expect(flags(slot) & BF_ARMED).toBe(BF_ARMED);
    expect(receiver.claim(batch, 0, slot, gen, true)).toBe(true);
    expect([batch.op[0], batch.slot[0], batch.gen[0]]).toEqual([OP_RECV, slot, gen]);
    expect(flags(slot) & (BF_HUP | BF_ARMED)).toBe(BF_HUP);
  });

  it('is trusted by the naive lifetime, which reports its generation', () => {
    const receiver = new Receiver(loadLibc(), table, rings, scratch, true);
    const [slot, old] = reused();
    const batch = makeBatch(4);
    expect(receiver.claim(batch, 0, slot, old, true)).toBe(true);
    expect(batch.gen[0]).toBe(old);
    expect(flags(slot) & BF_HUP).toBe(BF_HUP);
  });
});
