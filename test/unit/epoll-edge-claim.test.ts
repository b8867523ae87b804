// The receive claim protocol on a slot's flag word: every posted receive is run exactly once, by an edge or at once when the socket is known to be readable, and no edge or hangup is forgotten.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  BF_ARMED,
  BF_HUP,
  BF_READY,
  BF_RECV_REG,
  RECV_READABLE,
  RECV_UNREGISTERED,
  RECV_WAITS,
  armReceive,
  claimOnEdge,
  noteRead,
  ownFlags,
  rearmAfterEmptyRead,
  unregister,
} from '../../src/server/epoll/edges.js';
import { F_BFLAGS, SessionTable } from '../../src/server/sessionTable.js';

const LEN = 4096;

describe('epoll edge claim', () => {
  let i32: Int32Array;
  let b: number;
  let gen: number;
  const flags = () => i32[b + F_BFLAGS]! & (BF_ARMED | BF_READY | BF_HUP | BF_RECV_REG);

  beforeEach(() => {
    const t = new SessionTable(2);
    t.alloc();
    const slot = t.alloc(); // not slot 0: a wrong base would show
    i32 = t.i32;
    b = t.base(slot);
    gen = t.generation(slot);
    ownFlags(i32, b, gen); // as the port's attach()
  });

  /** The first receive is registered; every later one finds the registration made. */
  function registered(): void {
    expect(armReceive(i32, b)).toBe(RECV_UNREGISTERED);
    expect(claimOnEdge(i32, b, gen)).toBe(true);
    expect(flags()).toBe(BF_RECV_REG);
  }

  it('registers on the first receive, armed, so that the socket’s first edge claims it', () => {
    expect(armReceive(i32, b)).toBe(RECV_UNREGISTERED);
    expect(flags()).toBe(BF_RECV_REG | BF_ARMED);
    expect(claimOnEdge(i32, b, gen)).toBe(true);
    expect(flags()).toBe(BF_RECV_REG);
  });

  it('a failed registration leaves nothing posted, and the next receive registers again', () => {
    expect(armReceive(i32, b)).toBe(RECV_UNREGISTERED);
    unregister(i32, b);
    expect(flags()).toBe(0);
    expect(armReceive(i32, b)).toBe(RECV_UNREGISTERED);
  });

  it('an edge claims an ARMED receive exactly once; a second edge only leaves READY', () => {
    registered();
    expect(armReceive(i32, b)).toBe(RECV_WAITS);
    expect(flags()).toBe(BF_RECV_REG | BF_ARMED);
    expect(claimOnEdge(i32, b, gen)).toBe(true);
    expect(claimOnEdge(i32, b, gen)).toBe(false);
    expect(flags()).toBe(BF_RECV_REG | BF_READY);
  });

  it('an edge with nothing posted leaves READY, and the next receive is claimed at once', () => {
    registered();
    expect(claimOnEdge(i32, b, gen)).toBe(false);
    expect(flags()).toBe(BF_RECV_REG | BF_READY);
    // The post must queue a synthetic edge: the kernel's edge is spent.
    expect(armReceive(i32, b)).toBe(RECV_READABLE);
    expect(claimOnEdge(i32, b, gen)).toBe(true);
    expect(flags()).toBe(BF_RECV_REG);
  });

  it('after EAGAIN the receive re-arms, and the next edge claims it', () => {
    registered();
    expect(rearmAfterEmptyRead(i32, b)).toBe(true);
    expect(flags()).toBe(BF_RECV_REG | BF_ARMED);
    expect(claimOnEdge(i32, b, gen)).toBe(true);
  });

  it('after EAGAIN an edge that came meanwhile means read again, not re-arm', () => {
    registered();
    expect(claimOnEdge(i32, b, gen)).toBe(false); // the edge raced with the claimed read
    expect(rearmAfterEmptyRead(i32, b)).toBe(false);
    // Still claimed by the reader: neither armed for another edge nor READY for another post.
    expect(flags()).toBe(BF_RECV_REG);
    expect(rearmAfterEmptyRead(i32, b)).toBe(true);
  });

  it('a hangup is remembered: every later receive is claimed at once', () => {
    registered();
    expect(claimOnEdge(i32, b, gen, true)).toBe(false); // the hangup's edge, nothing posted
    expect(flags()).toBe(BF_RECV_REG | BF_READY | BF_HUP);
    for (let n = 0; n < 3; n++) {
      expect(armReceive(i32, b)).toBe(RECV_READABLE);
      expect(claimOnEdge(i32, b, gen)).toBe(true);
    }
    expect(flags()).toBe(BF_RECV_REG | BF_HUP);
  });

  it('a read of the data in front of a FIN leaves READY for the FIN; the FIN’s own 0-byte read does not', () => {
    registered();
    expect(armReceive(i32, b)).toBe(RECV_WAITS);
    expect(claimOnEdge(i32, b, gen, true)).toBe(true); // the hangup's edge claims the receive
    expect(flags()).toBe(BF_RECV_REG | BF_HUP);
    noteRead(i32, b, 10, LEN);
    expect(flags() & BF_READY).toBe(BF_READY);
    expect(claimOnEdge(i32, b, gen)).toBe(false); // nothing posted: READY stays
    expect(armReceive(i32, b)).toBe(RECV_READABLE);
    expect(claimOnEdge(i32, b, gen)).toBe(true);
    noteRead(i32, b, 0, LEN);
    expect(flags() & BF_READY).toBe(0);
  });

  it('a full read leaves READY (more may wait); a short one without a hangup does not', () => {
    registered();
    noteRead(i32, b, LEN - 1, LEN);
    expect(flags()).toBe(BF_RECV_REG);
    noteRead(i32, b, LEN, LEN);
    expect(flags()).toBe(BF_RECV_REG | BF_READY);
    expect(armReceive(i32, b)).toBe(RECV_READABLE);
  });

  it('an edge of another generation changes nothing, posted receive or not, hangup or not', () => {
    registered();
    for (const other of [gen + 1, gen - 1, gen + (1 << 24) + 1]) {
      for (const hangup of [false, true]) {
        const before = i32[b + F_BFLAGS];
        expect(claimOnEdge(i32, b, other, hangup)).toBe(false);
        expect(i32[b + F_BFLAGS]).toBe(before);
      }
    }
    expect(armReceive(i32, b)).toBe(RECV_WAITS);
    const armed = i32[b + F_BFLAGS];
    expect(claimOnEdge(i32, b, gen + 1, true)).toBe(false);
    expect(i32[b + F_BFLAGS]).toBe(armed);
    expect(claimOnEdge(i32, b, gen)).toBe(true);
  });

  it('taking the word clears what the slot\'s last owner left, and names the new owner', () => {
    registered();
    expect(claimOnEdge(i32, b, gen, true)).toBe(false);
    ownFlags(i32, b, gen + 1);
    expect(flags()).toBe(0);
    expect(armReceive(i32, b)).toBe(RECV_UNREGISTERED);
    expect(claimOnEdge(i32, b, gen)).toBe(false);
    expect(claimOnEdge(i32, b, gen + 1)).toBe(true);
  });

  it('the naive lifetime\'s edge (anyOwner) claims whatever is posted', () => {
    registered();
    expect(armReceive(i32, b)).toBe(RECV_WAITS);
    expect(claimOnEdge(i32, b, gen + 1, true, true)).toBe(true);
    expect(flags()).toBe(BF_RECV_REG | BF_HUP);
  });
});
