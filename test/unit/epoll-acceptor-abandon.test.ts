// A worker that dies of an error re-arms a listener it left disarmed. Out of descriptors with no
// spare to take back, an acceptor parks the listener (EPOLLONESHOT, not re-armed) and only its
// own later wake-ups re-arm it; were that worker gone for good, no worker would accept again.
import koffi from 'koffi';
import { describe, expect, it } from 'vitest';
import { makeBatch } from '../../src/server/completion.js';
import { ROW, C_ACCEPT_FAILURES } from '../../src/server/counters.js';
import { Acceptor } from '../../src/server/epoll/accept.js';
import type { EpollSet } from '../../src/server/epoll/epollSet.js';
import type { SessionTable } from '../../src/server/sessionTable.js';
import { EMFILE } from '../../src/native/linux/errno.js';
import type { Libc } from '../../src/native/linux/libc.js';

const LISTEN_FD = 3;

/** An acceptor whose process is out of descriptors, and whose spare, once closed, is taken by another thread. */
function parkedAcceptor(stopping = false) {
  let eventfds = 0;
  const libc = {
    // The first call is the constructor's spare; the one after shedding finds no descriptor.
    eventfd: () => (eventfds++ === 0 ? 90 : -1),
    accept4: () => {
      koffi.errno(EMFILE);
      return -1;
    },
    close: () => 0,
  } as unknown as Libc;
  const armed: number[] = [];
  const epoll = { armListener: (fd: number) => armed.push(fd) } as unknown as EpollSet;
  const table = { stopping: () => stopping } as unknown as SessionTable;
  const counters = new Float64Array(ROW);
  const acceptor = new Acceptor(libc, LISTEN_FD, 16, table, epoll, counters, { fdCeiling: 1 << 20, reset: () => {} });
  expect(acceptor.accept(makeBatch(8), 0, 8)).toBe(0);
  expect(counters[C_ACCEPT_FAILURES]).toBe(1);
  return { acceptor, armed };
}

describe('an epoll worker that dies while its listener is parked', () => {
  it('re-arms the listener for the workers that serve on', () => {
    const { acceptor, armed } = parkedAcceptor();
    expect(armed).toEqual([]); // parked: nobody re-arms it until this worker's retry
    acceptor.abandon();
    expect(armed).toEqual([LISTEN_FD]);
  });

  it('leaves it disarmed when the server is stopping', () => {
    const { acceptor, armed } = parkedAcceptor(true);
    acceptor.abandon();
    expect(armed).toEqual([]);
  });
});
