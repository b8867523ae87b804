/**
 * validateServerOptions(): every server option checked and defaulted once, before a backend is
 * picked. Apart from server.ts so that the command line and the library can check options
 * without loading the server.
 */
import { isIP } from 'node:net';
import { usageError } from '../errors.js';
import { formatMs } from '../units.js';
import { LIFETIME_FAULTS, isFault } from './bugZoo.js';
import { OP_STRIDE } from './iocp/layout.js';
import { DEFAULT_SERVER_OPTIONS, type ServerOptions } from './types.js';

export function validateServerOptions(partial: Partial<ServerOptions> = {}): ServerOptions {
  const o: ServerOptions = { ...DEFAULT_SERVER_OPTIONS, ...partial };
  const int = (name: string, v: number, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max) throw usageError(name, `must be a whole number in ${min}..${max}`, v);
  };
  if (!isIP(o.host)) throw usageError('--host', 'must be an IP address, like 127.0.0.1 or ::1', o.host);
  // The completion backends' sockaddr_in6 carries no scope id: a link-local address's bind fails.
  if (o.host.includes('%') && o.backend !== 'node')
    throw usageError('--host', 'a scoped IPv6 address (%zone) needs --backend node', o.host);
  int('--port', o.port, 0, 65535);
  int('--workers', o.workers, 1, 64);
  int('--max-sessions', o.maxSessions, 1, 1_000_000);
  // A time, not a count: the limit and the value in its units (250us is 0.25ms, not "0.25").
  if (!Number.isInteger(o.idleTimeoutMs) || !(o.idleTimeoutMs >= 0 && o.idleTimeoutMs <= 2 ** 31 - 1))
    throw usageError('--idle-timeout', `must be whole milliseconds in 0ms..${formatMs(2 ** 31 - 1)}`, formatMs(o.idleTimeoutMs));
  int('--buffer-size', o.bufferSize, 256, 16 * 1024 * 1024);
  int('--send-buffer', o.sendBuffer, 0, 64 * 1024 * 1024);
  int('--accept-depth', o.acceptDepth, 1, 4096);
  int('--concurrency', o.concurrency, 0, 64);
  int('--fd-reserve', o.fdReserve, 0, 1_000_000);
  if (!['auto', 'epoll', 'iocp', 'node'].includes(o.backend))
    throw usageError('--backend', 'must be auto, epoll, iocp or node', o.backend);
  if (o.lifetime !== 'refcount' && o.lifetime !== 'naive' && !isFault(o.lifetime))
    throw usageError('--lifetime', `must be refcount, naive or a fault of the bug zoo (${LIFETIME_FAULTS.join(', ')})`, o.lifetime);
  // A zoo fault runs every worker at once by default, so its races can happen at all.
  // The node backend has no reference counts to get wrong: a lifetime bug asked of it would be
  // reported in its stats and never run.
  if (o.backend === 'node' && o.lifetime !== 'refcount')
    throw usageError('--lifetime', 'needs a completion backend (epoll or iocp): the node backend has no reference counts', o.lifetime);
  if (o.backend === 'node') checkNodeOptions(o);
  if (isFault(o.lifetime) && o.concurrency === 0) o.concurrency = o.workers;
  if (o.backend !== 'node') {
    // The completion backends keep every session's ring (and, on IOCP, its OP_STRIDE bytes of
    // operation records) in one native allocation, which cannot exceed 2 GiB.
    // The whole allocation, not just the product of the two flags: near the limit that alone
    // would read below 2 GiB. Only IOCP keeps operation records beside the rings.
    const iocp = o.backend === 'iocp' || (o.backend === 'auto' && process.platform === 'win32');
    const perSession = o.bufferSize + (iocp ? OP_STRIDE : 0);
    const fixed = o.acceptDepth * 4096 + 65536;
    const bytes = o.maxSessions * perSession + fixed;
    if (bytes > 2 ** 31 - 1) {
      const fit = Math.max(0, Math.floor((2 ** 31 - 1 - fixed) / perSession));
      throw usageError(
        '--max-sessions, --buffer-size',
        `their sessions need ${(bytes / 2 ** 30).toFixed(2)} GiB (each a ${o.bufferSize} B ring${iocp ? ` and ${OP_STRIDE} B of operation records` : ''}), ` +
          `over the 2 GiB limit; at this --buffer-size at most ${fit} sessions fit`,
        `${o.maxSessions}, ${o.bufferSize}`,
      );
    }
  }
  if (o.statsPort !== null) int('--stats-port', o.statsPort, 0, 65535);
  if (!isIP(o.statsHost)) throw usageError('--stats-host', 'must be an IP address, like 127.0.0.1 or ::1', o.statsHost);
  // The second bind would fail with EADDRINUSE, which reads as another process's.
  if (o.statsPort !== null && o.statsPort !== 0 && o.statsPort === o.port && sameAddress(o.host, o.statsHost))
    throw usageError('--stats-port', "is the echo listener's port (--port): give another, or 0 to pick one", o.statsPort);
  return o;
}

const COMPLETION = 'needs a completion backend (epoll or iocp)';
const ONE_THREAD = "the node backend runs one thread, Node's own";

/**
 * Whether two listen addresses can hold the same port only once: the same address; `::`, which
 * takes IPv4 too (no IPV6_V6ONLY), beside any; `0.0.0.0` beside an IPv4 address.
 */
function sameAddress(a: string, b: string): boolean {
  const covers = (wild: string, h: string) => (wild === '::' ? true : wild === '0.0.0.0' && isIP(h) === 4);
  return a === b || covers(a, b) || covers(b, a);
}

/**
 * The options the node backend cannot honour (nodeBackend.ts takes only the address,
 * --max-sessions and --idle-timeout; the stats endpoint is server.ts's, on every backend), each
 * with the values it takes anyway besides the default: the ones it runs regardless.
 */
const NOT_ON_NODE: ReadonlyArray<{ key: keyof ServerOptions; flag: string; also: readonly unknown[]; problem: string }> = [
  { key: 'workers', flag: '--workers', also: [1], problem: `${COMPLETION}: ${ONE_THREAD}` },
  { key: 'sendBuffer', flag: '--send-buffer', also: [], problem: `${COMPLETION}: the node backend leaves every socket's send buffer to the OS` },
  { key: 'concurrency', flag: '--concurrency', also: [1], problem: `${COMPLETION}: ${ONE_THREAD}` },
  { key: 'acceptDepth', flag: '--accept-depth', also: [], problem: `${COMPLETION}: the node backend accepts as Node's event loop does` },
  { key: 'ioUring', flag: '--no-io-uring', also: [], problem: 'needs the epoll backend: the node backend has no io_uring batching to turn off' },
  { key: 'fdReserve', flag: '--fd-reserve', also: [], problem: 'needs the epoll backend: the node backend keeps no descriptors in reserve' },
];

/**
 * --backend node: an option given a value the node backend cannot honour is a usage error, not
 * ignored (a run without --send-buffer, say, would be taken for one with it). The defaults pass,
 * whether given or not (startServer() with defaults, the flood's embedded server, the command
 * line's own defaults, which it always passes): a default typed out (`-w 5`) is taken and unused.
 * --buffer-size is not checked: it is accepted and unused (Node's sockets buffer for themselves).
 */
function checkNodeOptions(o: ServerOptions): void {
  for (const { key, flag, also, problem } of NOT_ON_NODE) {
    const v = o[key];
    if (v === DEFAULT_SERVER_OPTIONS[key] || also.includes(v)) continue;
    // A switch (--no-io-uring) has no value to show.
    throw usageError(flag, problem, typeof v === 'boolean' ? undefined : v);
  }
}

