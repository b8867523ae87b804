// The IOCP host's Windows-specific choices are wired, proven on Linux through a recording fake of
// the Win32 bindings: the listener asks for a deep backlog (SOMAXCONN_HINT of --max-sessions, as
// Windows caps plain SOMAXCONN near 200), and a stop closes the listener and the port before
// anything else (the arena, freed after them, is not visible to this fake).
import { describe, expect, it } from 'vitest';
import { WIN32_CONSTANTS, type Win32 } from '../../src/native/win32/win32.js';
import { Counters } from '../../src/server/counters.js';
import { createIocpHost, iocpBacklog } from '../../src/server/iocp/host.js';
import { validateServerOptions } from '../../src/server/server.js';
import { SessionTable } from '../../src/server/sessionTable.js';

function recordingWin32() {
  const calls: Array<[string, ...unknown[]]> = [];
  let handles = 100;
  const rec = (name: string, result: (...a: unknown[]) => unknown) => (...a: unknown[]) => {
    calls.push([name, ...a]);
    return result(...a);
  };
  const w = {
    ...WIN32_CONSTANTS,
    WSAStartup: rec('WSAStartup', () => 0),
    WSACleanup: rec('WSACleanup', () => 0),
    CreateIoCompletionPort: rec('CreateIoCompletionPort', () => handles++),
    WSASocketW: rec('WSASocketW', () => handles++),
    setsockopt: rec('setsockopt', () => 0),
    bind: rec('bind', () => 0),
    listen: rec('listen', () => 0),
    getsockname: rec('getsockname', () => 0),
    getAcceptExPointer: rec('getAcceptExPointer', () => 1n),
    decodeAcceptEx: () => rec('AcceptEx', () => 0),
    WSAGetLastError: () => WIN32_CONSTANTS.ERROR_IO_PENDING,
    GetLastError: () => 0,
    closesocket: rec('closesocket', () => 0),
    CloseHandle: rec('CloseHandle', () => 1),
    CancelIoEx: rec('CancelIoEx', () => 1),
  } as unknown as Win32;
  return { w, calls, named: (n: string) => calls.filter((c) => c[0] === n) };
}

function host(maxSessions: number) {
  const options = validateServerOptions({ backend: 'iocp', port: 0, maxSessions, acceptDepth: 4, bufferSize: 4096 });
  const fake = recordingWin32();
  const h = createIocpHost({ options, table: new SessionTable(maxSessions), counters: new Counters(options.workers + 1) }, fake.w);
  return { h, ...fake };
}

describe('IOCP host wiring', () => {
  it('listens with SOMAXCONN_HINT(--max-sessions), clamped to what Windows takes', () => {
    expect(iocpBacklog(10_000)).toBe(-10_000);
    expect(iocpBacklog(50)).toBe(-200);
    expect(iocpBacklog(1_000_000)).toBe(-65_535);
    const { h, named } = host(5000);
    expect(named('listen')).toEqual([['listen', expect.any(Number), -5000]]);
    expect(named('AcceptEx')).toHaveLength(4);
    h.dispose(true);
  });

  it('a stop that drained closes the listener, then the port, then Winsock', () => {
    const { h, calls } = host(100);
    const listener = (calls.find((c) => c[0] === 'listen')![1]) as number;
    calls.length = 0;
    h.dispose(true);
    expect(calls.map((c) => c.slice(0, 2))).toEqual([['closesocket', listener], ['CloseHandle', expect.any(Number)], ['WSACleanup']]);
  });

  it('a stop that did not drain closes the listener and the port all the same, once', () => {
    const { h, calls } = host(100);
    calls.length = 0;
    h.dispose(false);
    expect(calls.map((c) => c[0])).toEqual(['closesocket', 'CloseHandle', 'WSACleanup']);
    h.dispose(false); // once only
    expect(calls).toHaveLength(3);
  });
});
