// The node backend (Node's net, one thread) honours only the address, --max-sessions and
// --idle-timeout of the server's options (and the stats endpoint's, which server.ts serves for
// every backend). An option given a value it cannot honour is a usage error, as --lifetime is,
// rather than a server that runs without it and says nothing: --workers, --send-buffer (the
// stress profile's), --concurrency, --accept-depth, --no-io-uring, --fd-reserve. Their defaults
// pass (startServer() with defaults, the flood's embedded server), as do the values the node
// backend runs anyway (one worker, one running at once, the OS's send buffer).
import { describe, expect, it } from 'vitest';
import { validateServerOptions } from '../../src/server/validate.js';
import { DEFAULT_SERVER_OPTIONS, type ServerOptions } from '../../src/server/types.js';

const NEEDS_COMPLETION = 'needs a completion backend (epoll or iocp)';

describe('--backend node: options it cannot honour are usage errors', () => {
  it.each<[Partial<ServerOptions>, string]>([
    [{ workers: 7 }, `--workers: ${NEEDS_COMPLETION}: the node backend runs one thread, Node's own (got "7")`],
    [{ workers: 2 }, `--workers: ${NEEDS_COMPLETION}: the node backend runs one thread, Node's own (got "2")`],
    [{ sendBuffer: 4096 }, `--send-buffer: ${NEEDS_COMPLETION}: the node backend leaves every socket's send buffer to the OS (got "4096")`],
    [{ concurrency: 3 }, `--concurrency: ${NEEDS_COMPLETION}: the node backend runs one thread, Node's own (got "3")`],
    [{ acceptDepth: 7 }, `--accept-depth: ${NEEDS_COMPLETION}: the node backend accepts as Node's event loop does (got "7")`],
    [{ ioUring: false }, '--no-io-uring: needs the epoll backend: the node backend has no io_uring batching to turn off'],
    [{ fdReserve: 5000 }, '--fd-reserve: needs the epoll backend: the node backend keeps no descriptors in reserve (got "5000")'],
  ])('%j', (given, message) => {
    expect(() => validateServerOptions({ backend: 'node', ...given })).toThrow(message);
  });

  it('the defaults pass, given or not, and so do the values the node backend runs anyway', () => {
    expect(validateServerOptions({ backend: 'node' })).toMatchObject({ backend: 'node', workers: 5, sendBuffer: 0 });
    expect(validateServerOptions({ ...DEFAULT_SERVER_OPTIONS, backend: 'node' }).backend).toBe('node');
    expect(validateServerOptions({ backend: 'node', host: '127.0.0.1', port: 0 }).port).toBe(0);
    expect(validateServerOptions({ backend: 'node', workers: 1, concurrency: 1, sendBuffer: 0 })).toMatchObject({ workers: 1, concurrency: 1 });
    // What it does honour.
    expect(validateServerOptions({ backend: 'node', maxSessions: 3, idleTimeoutMs: 500, statsPort: null })).toMatchObject({ maxSessions: 3, idleTimeoutMs: 500 });
  });

  it('the completion backends take every one of them', () => {
    const all = { workers: 7, sendBuffer: 4096, concurrency: 3, acceptDepth: 7, ioUring: false, fdReserve: 5000 };
    for (const backend of ['epoll', 'iocp', 'auto'] as const) expect(validateServerOptions({ backend, ...all })).toMatchObject(all);
  });
});
