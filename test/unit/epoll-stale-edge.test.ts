// A receive edge of an older generation (a socket closed since, its slot freed and reused; a held
// close keeps it registered until the closing worker's next wait) says nothing of the slot's
// current owner: it neither claims the owner's posted receive, which may still wait for its held
// registration, nor marks the owner's hangup. The owner's own edge claims it. The naive lifetime,
// like the tutorial, trusts any edge. Nor does one whose worker stopped between reading the event
// and claiming while the slot was freed and taken again, nor one of a slot a fault lifetime freed
// with its receive still posted.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OP_RECV, makeBatch } from '../../src/server/completion.js';
import { F_BFLAGS, SessionTable } from '../../src/server/sessionTable.js';
import { EchoRings } from '../../src/server/epoll/echoRings.js';
import { BF_ARMED, BF_HUP, BF_READY, RECV_UNREGISTERED, armReceive, ownFlags } from '../../src/server/epoll/edges.js';
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
    ownFlags(table.i32, table.base(slot), old); // as the port's attach()
    return [slot, old, takeAgain(slot)];
  }

  /** Take the one slot as the port's attach() does and post its owner's first receive: [slot, gen]. */
  function taken(): [number, number] {
    const slot = table.alloc();
    const gen = table.generation(slot);
    ownFlags(table.i32, table.base(slot), gen);
    expect(armReceive(table.i32, table.base(slot))).toBe(RECV_UNREGISTERED);
    return [slot, gen];
  }

  /** Free the slot, take it again and post its new owner's first receive: the new generation. */
  function takeAgain(slot: number): number {
    const old = table.generation(slot);
    expect(table.free(slot)).toBe(true);
    const [again, gen] = taken();
    expect(again).toBe(slot);
    expect(gen).not.toBe(old);
    return gen;
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

  it('nor does one whose slot is freed and taken again while it is being claimed', () => {
    // The old owner's socket is registered, its receive run, nothing posted: it is closing.
    const [slot, old] = taken();
    const receiver = new Receiver(loadLibc(), table, rings, scratch, false);
    const batch = makeBatch(4);
    expect(receiver.claim(batch, 0, slot, old)).toBe(true);
    // Its worker stops inside the claim of one more edge of that socket, just after its check of
    // the table's generation, and the slot changes hands meanwhile: the claim's compare-and-swap
    // must still refuse the edge. (The check reads the generation through table.generation.)
    let gen = NaN;
    const generation = table.generation.bind(table);
    table.generation = (s: number) => {
      const seen = generation(s);
      table.generation = generation; // once
      gen = takeAgain(slot);
      return seen;
    };
    const claimed = receiver.claim(batch, 0, slot, old, true);
    table.generation = generation;
    expect(gen, 'the slot changed hands inside the claim').not.toBeNaN();
    expect(claimed).toBe(false);
    expect(flags(slot) & (BF_ARMED | BF_HUP | BF_READY)).toBe(BF_ARMED);
    expect(receiver.claim(batch, 0, slot, gen)).toBe(true);
    expect([batch.op[0], batch.slot[0], batch.gen[0]]).toEqual([OP_RECV, slot, gen]);
  });

  it('nor does one of a slot freed with its receive still posted (a fault lifetime), before it is taken again', () => {
    const [slot, old] = taken();
    // double-release and late-acquire free a slot whose receive still holds no reference.
    expect(table.free(slot)).toBe(true);
    const receiver = new Receiver(loadLibc(), table, rings, scratch, false);
    expect(receiver.claim(makeBatch(4), 0, slot, old, true)).toBe(false);
    expect(flags(slot) & (BF_ARMED | BF_HUP)).toBe(BF_ARMED);
  });
});
