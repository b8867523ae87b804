/**
 * Who runs a posted receive, settled on the slot's backend flag word (F_BFLAGS) by compare-and-
 * swap: the receive registration is edge-triggered and never re-armed, so an edge (from the
 * kernel, or synthetic) and a post may race on two workers. Pure functions over the table's
 * Int32Array, `b` being the slot's base index (SessionTable.base), so they test without sockets.
 *
 * The word names its owner: the flags below are its low 8 bits, and the 24 above them the low
 * bits of the generation of the session that took it (ownFlags). An edge is readiness, not an
 * operation, and may be older than the slot's owner (its socket closed, the slot freed and taken
 * again): its claim compares the owner in the same compare-and-swap that claims, so an edge of
 * another generation changes nothing, however long its worker stops between reading the event
 * and claiming (short of 2^24 sessions taking the slot meanwhile). A check of the table's
 * generation before the claim alone would leave that gap open.
 * Every other function here is called by the owner on its own word, which keeps its owner while
 * the owner holds a reference, and leaves the owner bits as they are.
 */
import { F_BFLAGS } from '../sessionTable.js';

/** The socket is in the epoll set (its edge-triggered receive registration). */
export const BF_RECV_REG = 1;
/** The dup() that carries the send registration is in the epoll set. */
export const BF_SEND_REG = 2;
/** A receive is posted and waits for an edge. */
export const BF_ARMED = 4;
/** An edge came while no receive was posted. */
export const BF_READY = 8;
/** The peer's FIN, a reset or an error was seen: from now on a receive returns at once. */
export const BF_HUP = 16;

const OWNER_SHIFT = 8;
const FLAG_MASK = (1 << OWNER_SHIFT) - 1;

/** The session (slot, gen) takes the slot's flag word: no registration, no receive, no edge seen. */
export function ownFlags(i32: Int32Array, b: number, gen: number): void {
  Atomics.store(i32, b + F_BFLAGS, gen << OWNER_SHIFT);
}

/** Whether the word (read whole) belongs to generation gen (its low 24 bits). */
function ownedBy(word: number, gen: number): boolean {
  return (word & ~FLAG_MASK) === gen << OWNER_SHIFT;
}

// What armReceive asks of its caller.
/** The slot's first receive: register the socket (armed first, so a readable socket edges at once). */
export const RECV_UNREGISTERED = 0;
/** Armed: the next edge claims it. */
export const RECV_WAITS = 1;
/** An edge or a hangup came first and no new edge will: claim it now, with a synthetic edge. */
export const RECV_READABLE = 2;

/** A receive is posted: mark it ARMED (and the socket registered) and say what must happen. */
export function armReceive(i32: Int32Array, b: number): number {
  const old = Atomics.or(i32, b + F_BFLAGS, BF_ARMED | BF_RECV_REG);
  if (!(old & BF_RECV_REG)) return RECV_UNREGISTERED;
  return old & (BF_READY | BF_HUP) ? RECV_READABLE : RECV_WAITS;
}

/** The registration of a first receive failed: nothing is posted, nothing is registered. */
export function unregister(i32: Int32Array, b: number): void {
  Atomics.and(i32, b + F_BFLAGS, ~(BF_ARMED | BF_RECV_REG));
}

/**
 * An edge of generation gen, `hangup` when it reported EPOLLRDHUP, EPOLLHUP or EPOLLERR: true if
 * it claimed the posted receive (then it is this worker's to run), else READY (and the hangup) is
 * left for the next post. An edge of a generation that does not own the word changes nothing and
 * claims nothing, unless `anyOwner` (the naive lifetime, which like the tutorial trusts every edge).
 */
export function claimOnEdge(i32: Int32Array, b: number, gen: number, hangup = false, anyOwner = false): boolean {
  const hup = hangup ? BF_HUP : 0;
  for (;;) {
    const old = Atomics.load(i32, b + F_BFLAGS);
    if (!anyOwner && !ownedBy(old, gen)) return false;
    const armed = (old & BF_ARMED) !== 0;
    const next = (armed ? old & ~(BF_ARMED | BF_READY) : old | BF_READY) | hup;
    if (Atomics.compareExchange(i32, b + F_BFLAGS, old, next) === old) return armed;
  }
}

/**
 * A claimed receive found nothing (EAGAIN): re-arm it, true, unless an edge came since the claim,
 * false: that edge's data may be what the read missed, and no further edge will come, so read again.
 */
export function rearmAfterEmptyRead(i32: Int32Array, b: number): boolean {
  for (;;) {
    const old = Atomics.load(i32, b + F_BFLAGS);
    const next = old & BF_READY ? old & ~BF_READY : old | BF_ARMED;
    if (Atomics.compareExchange(i32, b + F_BFLAGS, old, next) === old) return (old & BF_READY) === 0;
  }
}

/**
 * A claimed receive read `r` >= 0 of `len` bytes. A full read may have left data behind, and a
 * read of the data in front of a FIN leaves the FIN: no new edge will announce either, so leave
 * READY for the next post.
 */
export function noteRead(i32: Int32Array, b: number, r: number, len: number): void {
  if (r === len || (r > 0 && Atomics.load(i32, b + F_BFLAGS) & BF_HUP)) Atomics.or(i32, b + F_BFLAGS, BF_READY);
}

/** The send registration is about to be armed: true the first time (EPOLL_CTL_ADD, else MOD). */
export function firstSendRegistration(i32: Int32Array, b: number): boolean {
  return (Atomics.or(i32, b + F_BFLAGS, BF_SEND_REG) & BF_SEND_REG) === 0;
}
