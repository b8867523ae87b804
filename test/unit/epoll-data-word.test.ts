// The epoll data word gives back exactly the (op, slot, generation) and event bits written into it, across a generation's int32 wrap and at every field's extremes.
import { describe, expect, it } from 'vitest';
import { OP_ACCEPT, OP_CONTROL, OP_RECV, OP_SEND } from '../../src/server/completion.js';
import {
  EPOLL_EVENT_SIZE,
  SLOT_MASK,
  eventFlags,
  eventGen,
  eventOp,
  eventSlot,
  writeEvent,
} from '../../src/server/epoll/dataWord.js';
import { EPOLLET, EPOLLIN, EPOLLONESHOT, EPOLLOUT, EPOLLRDHUP } from '../../src/native/linux/libc.js';
import { F_GEN, SessionTable } from '../../src/server/sessionTable.js';

const OPS = [OP_RECV, OP_SEND, OP_ACCEPT, OP_CONTROL];
const SLOTS = [0, 1, 4095, 999_999, SLOT_MASK];
const GENS = [0, 1, 0x7fffffff, -1, -0x80000000];

function events(n: number): DataView {
  return new DataView(new ArrayBuffer(n * EPOLL_EVENT_SIZE));
}

describe('epoll data word', () => {
  it('round-trips every op, slot and generation, events packed 12 bytes apart', () => {
    const cases = OPS.flatMap((op) => SLOTS.flatMap((slot) => GENS.map((gen) => ({ op, slot, gen }))));
    const dv = events(cases.length);
    cases.forEach((c, k) => writeEvent(dv, k * EPOLL_EVENT_SIZE, EPOLLIN | EPOLLRDHUP | EPOLLET, c.op, c.slot, c.gen));
    cases.forEach((c, k) => {
      const at = k * EPOLL_EVENT_SIZE;
      expect({ op: eventOp(dv, at), slot: eventSlot(dv, at), gen: eventGen(dv, at) }).toEqual(c);
      expect(eventFlags(dv, at)).toBe((EPOLLIN | EPOLLRDHUP | EPOLLET) >>> 0);
    });
  });

  it('keeps the event bits whole, the sign bit (EPOLLET) and EPOLLONESHOT included', () => {
    const dv = events(2);
    writeEvent(dv, 0, EPOLLOUT | EPOLLONESHOT, OP_SEND, 7, 3);
    writeEvent(dv, EPOLL_EVENT_SIZE, EPOLLIN | EPOLLET, OP_RECV, 7, 3);
    expect(eventFlags(dv, 0)).toBe(EPOLLOUT + EPOLLONESHOT);
    expect(eventFlags(dv, EPOLL_EVENT_SIZE)).toBe(EPOLLIN + 2 ** 31);
  });

  it('decodes a generation equal to the table’s after it wraps past the int32 maximum', () => {
    const t = new SessionTable(1);
    const slot = t.alloc();
    t.i32[t.base(slot) + F_GEN] = 0x7fffffff;
    const dv = events(2);
    writeEvent(dv, 0, EPOLLIN, OP_RECV, slot, t.generation(slot));
    expect(eventGen(dv, 0)).toBe(t.generation(slot));
    t.free(slot); // bumps the generation: 0x7fffffff + 1 wraps to -2^31
    expect(t.generation(slot)).toBe(-0x80000000);
    writeEvent(dv, EPOLL_EVENT_SIZE, EPOLLIN, OP_RECV, slot, t.generation(slot));
    expect(eventGen(dv, EPOLL_EVENT_SIZE)).toBe(t.generation(slot));
    expect(eventGen(dv, 0)).not.toBe(eventGen(dv, EPOLL_EVENT_SIZE));
  });

  it('keeps the op in the low word’s top 8 bits and the slot in its low 24, neither leaking into the other', () => {
    const dv = events(1);
    writeEvent(dv, 0, 0, OP_CONTROL, SLOT_MASK, 0);
    expect(dv.getUint32(4, true)).toBe(((OP_CONTROL << 24) | SLOT_MASK) >>> 0);
    expect([eventOp(dv, 0), eventSlot(dv, 0)]).toEqual([OP_CONTROL, SLOT_MASK]);
    writeEvent(dv, 0, 0, OP_RECV, SLOT_MASK, -1);
    expect([eventOp(dv, 0), eventSlot(dv, 0)]).toEqual([OP_RECV, SLOT_MASK]);
    writeEvent(dv, 0, 0, OP_CONTROL, 0, -1);
    expect([eventOp(dv, 0), eventSlot(dv, 0), eventGen(dv, 0)]).toEqual([OP_CONTROL, 0, -1]);
  });
});
