/**
 * Who runs a posted receive, settled on the slot's backend flag word (F_BFLAGS) by compare-and-
 * swap: the receive registration is edge-triggered and never re-armed, so an edge (from the
 * kernel, or synthetic) and a post may race on two workers. Pure functions over the table's
 * Int32Array, `b` being the slot's base index (SessionTable.base), so they test without sockets.
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

/** An edge: true if it claimed the posted receive (then it is this worker's to run), else READY is left for the next post. */
export function claimOnEdge(i32: Int32Array, b: number): boolean {
  for (;;) {
    const old = Atomics.load(i32, b + F_BFLAGS);
    const armed = (old & BF_ARMED) !== 0;
    const next = armed ? old & ~(BF_ARMED | BF_READY) : old | BF_READY;
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

/** The edge reported EPOLLRDHUP, EPOLLHUP or EPOLLERR: remember it for every later receive. */
export function noteHangup(i32: Int32Array, b: number): void {
  Atomics.or(i32, b + F_BFLAGS, BF_HUP);
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
