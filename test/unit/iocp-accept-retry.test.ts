// The IOCP AcceptEx pool out of sockets (WSAEMFILE / WSAENOBUFS): a context that cannot be
// posted is kept and posted again later, no sooner than ACCEPT_RETRY_MS, so the pool neither
// shrinks for good nor spins. A fake Win32 stands in for Winsock; no socket is made.
import { describe, expect, it } from 'vitest';
import { ROW, C_ACCEPT_FAILURES, C_ACCEPT_POSTED } from '../../src/server/counters.js';
import { ACCEPT_RETRY_MS, acceptPool, layout } from '../../src/server/iocp/layout.js';
import type { Win32 } from '../../src/native/win32/win32.js';

const INVALID_SOCKET = -1;
const ERROR_IO_PENDING = 997;

function fakePool(opts: { depth: number; socketsFail: () => boolean; stopping?: () => boolean; unposted?: number[] }) {
  const l = layout(0, 4, opts.depth, 256);
  const dv = new DataView(new ArrayBuffer(l.ringBase - l.base));
  const counters = new Float64Array(ROW);
  const posted: number[] = []; // the OVERLAPPED address of every AcceptEx made
  let nextSocket = 100;
  const w = {
    INVALID_SOCKET, SOCK_STREAM: 1, IPPROTO_TCP: 6, WSA_FLAG_OVERLAPPED: 1, WSA_FLAG_NO_HANDLE_INHERIT: 0x80,
    ERROR_IO_PENDING,
    WSASocketW: () => (opts.socketsFail() ? INVALID_SOCKET : nextSocket++),
    WSAGetLastError: () => ERROR_IO_PENDING,
    closesocket: () => 0,
    CancelIoEx: () => true,
  } as unknown as Win32;
  const acceptEx = (_l: number, _s: number, _b: number, _r: number, _a: number, _b2: number, _n: number, ov: number) => {
    posted.push(ov);
    return false; // pending
  };
  const pool = acceptPool({
    w, dv, layout: l, depth: opts.depth, listenSocket: 3, acceptEx: acceptEx as never,
    family: 2, addressLength: 32, counters, stopping: opts.stopping ?? (() => false), unposted: opts.unposted,
  });
  const indexes = () => posted.map((ov) => pool.indexOf(ov));
  return { pool, counters, indexes };
}

describe('IOCP accept pool out of sockets', () => {
  it('keeps a context it could not post and posts it once sockets are back', () => {
    let fail = true;
    const { pool, counters, indexes } = fakePool({ depth: 3, socketsFail: () => fail });
    for (let i = 0; i < 3; i++) expect(pool.post(i)).toBe(false);
    expect(counters[C_ACCEPT_FAILURES]).toBe(3);
    expect(pool.unposted()).toEqual([0, 1, 2]);

    pool.retry(1000); // still failing: tried once, kept
    expect(counters[C_ACCEPT_FAILURES]).toBe(6);
    expect(pool.unposted()).toEqual([0, 1, 2]);

    fail = false;
    pool.retry(1000 + ACCEPT_RETRY_MS - 1); // too soon: not even tried
    expect(counters[C_ACCEPT_FAILURES]).toBe(6);
    expect(indexes()).toEqual([]);

    pool.retry(1000 + ACCEPT_RETRY_MS);
    expect(indexes()).toEqual([0, 1, 2]);
    expect(pool.unposted()).toEqual([]);
    expect(counters[C_ACCEPT_POSTED]).toBe(3);
  });

  it('does not spin: a retry pass tries each waiting context once', () => {
    let calls = 0;
    const { pool } = fakePool({ depth: 4, socketsFail: () => (calls++, true) });
    for (let i = 0; i < 4; i++) pool.post(i);
    calls = 0;
    for (let t = 0; t < 10 * ACCEPT_RETRY_MS; t++) pool.retry(t); // a worker waking every ms
    expect(calls).toBe(4 * 10);
  });

  it('takes over the contexts another thread could not post', () => {
    const { pool, indexes } = fakePool({ depth: 4, socketsFail: () => false, unposted: [1, 3] });
    expect(pool.unposted()).toEqual([1, 3]);
    pool.retry(0);
    expect(indexes()).toEqual([1, 3]);
  });

  it('keeps nothing for retry once the server is stopping', () => {
    let stopping = false;
    const { pool } = fakePool({ depth: 2, socketsFail: () => true, stopping: () => stopping });
    pool.post(0);
    stopping = true;
    pool.post(1);
    expect(pool.unposted()).toEqual([0]);
    pool.retry(0);
    expect(pool.unposted()).toEqual([0]); // not retried while stopping
  });
});
