/**
 * The epoll data word, this backend's OVERLAPPED pointer: (slot, generation, op) packed into the
 * 64-bit `data` of a struct epoll_event. Encoded and decoded here and nowhere else.
 *
 * struct epoll_event is packed on x86-64 (12 bytes): u32 events @0, then data @4, whose low half
 * is op << 24 | slot and whose high half is the generation.
 */
import { EPOLL_EVENT_SIZE } from '../../native/linux/libc.js';

export { EPOLL_EVENT_SIZE };

const EVENTS_AT = 0;
const LOW_AT = 4;
const GEN_AT = 8;
const OP_SHIFT = 24;
/** Slots fit in 24 bits (--max-sessions is at most 1,000,000); ops in the 8 above them. */
export const SLOT_MASK = 0xffffff;

/** Write an epoll_event at byte `at` of `dv`: `events`, and the data word of (op, slot, gen). */
export function writeEvent(dv: DataView, at: number, events: number, op: number, slot: number, gen: number): void {
  dv.setUint32(at + EVENTS_AT, events >>> 0, true);
  dv.setUint32(at + LOW_AT, ((op << OP_SHIFT) | slot) >>> 0, true);
  // The table's generation is an int32 that may wrap negative: keep its 32 bits as they are.
  dv.setUint32(at + GEN_AT, gen >>> 0, true);
}

/** The event bits (EPOLLIN, EPOLLRDHUP, ...) the kernel reported. */
export function eventFlags(dv: DataView, at: number): number {
  return dv.getUint32(at + EVENTS_AT, true);
}

export function eventOp(dv: DataView, at: number): number {
  return dv.getUint32(at + LOW_AT, true) >>> OP_SHIFT;
}

export function eventSlot(dv: DataView, at: number): number {
  return dv.getUint32(at + LOW_AT, true) & SLOT_MASK;
}

/** The generation as the table stores it (an int32), so the two compare equal across a wrap. */
export function eventGen(dv: DataView, at: number): number {
  return dv.getUint32(at + GEN_AT, true) | 0;
}
