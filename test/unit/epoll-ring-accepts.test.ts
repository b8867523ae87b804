// An epoll worker's accepts through io_uring (accept.ts prepare/complete): a wake-up reserves
// batch entries and asks the ring for as many accepts as the last burst brought (twice as many
// when all came); each result fills its entry as an accept, is dropped (EAGAIN), or is reset and
// counted (at or above the descriptor ceiling); the listener is re-armed once, by the ring where
// it could, else by a plain call. Out of descriptors with no spare to take back, a re-arm the ring
// already made is taken back, so the listener stays parked.
import koffi from 'koffi';
import { describe, expect, it } from 'vitest';
import { OP_ACCEPT, makeBatch } from '../../src/server/completion.js';
import { C_ACCEPT_FAILURES, C_REJECTED, ROW } from '../../src/server/counters.js';
import { Acceptor } from '../../src/server/epoll/accept.js';
import type { EpollSet } from '../../src/server/epoll/epollSet.js';
import { ACCEPT_TAG, OP_DROPPED, type UringBatch } from '../../src/server/epoll/uringBatch.js';
import type { SessionTable } from '../../src/server/sessionTable.js';
import { EAGAIN, EMFILE } from '../../src/native/linux/errno.js';
import type { Libc } from '../../src/native/linux/libc.js';

const LISTEN_FD = 3;
const CEILING = 1000;

function setUp(o: { ringRearms?: boolean; spareLost?: boolean } = {}) {
  const calls: string[] = [];
  let eventfds = 0;
  const libc = {
    eventfd: () => (eventfds++ === 0 || !o.spareLost ? 90 : -1),
    accept4: () => {
      koffi.errno(EAGAIN);
      return -1;
    },
    close: () => 0,
  } as unknown as Libc;
  const epoll = {
    armListener: () => calls.push('arm'),
    disarmListener: () => calls.push('disarm'),
  } as unknown as EpollSet;
  const asked: number[] = [];
  const ring = {
    prepAccepts: (fd: number, n: number, rearm: boolean) => {
      expect(fd).toBe(LISTEN_FD);
      asked.push(n);
      return rearm && (o.ringRearms ?? true);
    },
  } as unknown as UringBatch;
  const table = { stopping: () => false } as unknown as SessionTable;
  const counters = new Float64Array(ROW);
  const resets: number[] = [];
  const acceptor = new Acceptor(libc, LISTEN_FD, 64, table, epoll, counters, { fdCeiling: CEILING, reset: (fd) => resets.push(fd) });
  const batch = makeBatch(128);
  /** One wake-up whose accepts come back as `results` (fds or -errno); returns the entries left, in order. */
  const wake = (results: number[], out = 0) => {
    const m = acceptor.prepare(batch, out, 128 - out, ring);
    const r = new Int32Array(ACCEPT_TAG + 128).fill(-EAGAIN);
    results.forEach((v, i) => (r[ACCEPT_TAG + i] = v));
    const dropped = acceptor.complete(batch, r);
    const kept: number[] = [];
    for (let i = out; i < out + m; i++) if (batch.op[i] !== OP_DROPPED) kept.push(batch.op[i] === OP_ACCEPT ? batch.handle[i]! : NaN);
    expect(kept.length).toBe(m - dropped);
    return kept;
  };
  return { acceptor, calls, asked, counters, resets, wake };
}

describe('epoll accepts through the ring', () => {
  it('fills the reserved entries with what the ring accepted and drops the accepts that found none', () => {
    const t = setUp();
    expect(t.wake([11, 12, 13], 5)).toEqual([11, 12, 13]);
    expect(t.asked).toEqual([4]);
    expect(t.counters[C_ACCEPT_FAILURES]).toBe(0);
    expect(t.calls).toEqual([]); // the ring re-armed the listener
  });

  it('asks for as many as the last burst brought, and twice as many when all came', () => {
    const t = setUp();
    t.wake([11, 12, 13]); // 3 of 4
    t.wake([14, 15, 16]); // 3 of 3: more may wait
    t.wake([17]); // 1 of 6
    t.wake([]); // none of 1: still one
    t.wake([18]);
    expect(t.asked).toEqual([4, 3, 6, 1, 1]);
  });

  it('resets and counts a connection accepted at or above the descriptor ceiling', () => {
    const t = setUp();
    expect(t.wake([11, CEILING, CEILING + 1])).toEqual([11]);
    expect(t.resets).toEqual([CEILING, CEILING + 1]);
    expect(t.counters[C_REJECTED]).toBe(2);
  });

  it('re-arms the listener with a plain call when the ring could not', () => {
    const t = setUp({ ringRearms: false });
    t.wake([11]);
    expect(t.calls).toEqual(['arm']);
  });

  it('out of descriptors with the spare lost, takes back the ring\'s re-arm and parks', () => {
    const t = setUp({ spareLost: true });
    expect(t.wake([11, -EMFILE])).toEqual([11]);
    expect(t.counters[C_ACCEPT_FAILURES]).toBe(1);
    expect(t.calls).toEqual(['disarm']);
  });

  it('out of descriptors with the spare taken back, leaves the listener armed', () => {
    const t = setUp();
    t.wake([-EMFILE]);
    expect(t.counters[C_ACCEPT_FAILURES]).toBe(1);
    expect(t.calls).toEqual([]);
  });
});
