/**
 * --source: the local addresses flood connections bind to before they connect, round robin by
 * connection id. One (source, target) address pair has at most one ephemeral port range
 * (~28k-64k connections); more source addresses go past it (on Linux, all of 127.0.0.0/8 is
 * local without configuration).
 */
import { createSocket } from 'node:dgram';
import { isIP, isIPv4 } from 'node:net';
import { usageError } from '../errors.js';

/** Most addresses one --source may name: a /16. */
export const MAX_SOURCES = 65_536;

/** `127.0.0.2,127.0.0.3` or `127.0.0.2-127.0.1.1` (IPv4 ranges only) -> the addresses, in order. */
export function parseSources(raw: string): string[] {
  const parts = raw.split(',').map((p) => p.trim());
  const out: string[] = [];
  for (const part of parts) {
    const range = /^([\d.]+)-([\d.]+)$/.exec(part);
    if (range) out.push(...expandRange(range[1]!, range[2]!, part));
    else out.push(part);
    if (out.length > MAX_SOURCES) throw usageError('--source', `more than ${MAX_SOURCES} addresses`, raw);
  }
  return out;
}

function v4Number(a: string, raw: string): number {
  if (!isIPv4(a)) throw usageError('--source', 'a range must run between two IPv4 addresses, like 127.0.0.2-127.0.0.200', raw);
  return a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function expandRange(from: string, to: string, raw: string): string[] {
  const lo = v4Number(from, raw);
  const hi = v4Number(to, raw);
  if (lo > hi) throw usageError('--source', 'the range runs backwards', raw);
  if (hi - lo + 1 > MAX_SOURCES) throw usageError('--source', `a range may hold at most ${MAX_SOURCES} addresses`, raw);
  return Array.from({ length: hi - lo + 1 }, (_, i) => {
    const n = lo + i;
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  });
}

/** Every address an IP literal of the target's family (when the target is one). Throws UsageError. */
export function checkSources(sources: string[], targetHost: string): string[] {
  if (sources.length === 0) throw usageError('--source', 'no address given');
  if (sources.length > MAX_SOURCES) throw usageError('--source', `more than ${MAX_SOURCES} addresses`, sources.length);
  const family = isIP(targetHost);
  for (const s of sources) {
    const f = isIP(s);
    if (f === 0) throw usageError('--source', 'not an IP address', s);
    if (family !== 0 && f !== family) throw usageError('--source', `an IPv${f} address cannot reach the IPv${family} target ${targetHost}`, s);
    if (family === 0 && f !== isIP(sources[0]!)) throw usageError('--source', 'IPv4 and IPv6 addresses mixed', s);
  }
  return [...sources];
}

/** Most --source addresses tried one by one before a run; of a longer list, a spread of them. */
const BIND_TRIES = 256;

/**
 * Whether this machine has the --source addresses: each is bound once (a UDP socket on port 0,
 * which takes no TCP port), before the run, so that an address it lacks is a usage error rather
 * than a run whose every connection fails. Of more than BIND_TRIES addresses, an even spread of
 * BIND_TRIES is tried, the first and last among them.
 */
export async function checkSourcesLocal(sources: readonly string[]): Promise<void> {
  const n = sources.length;
  const picks = n <= BIND_TRIES ? sources : Array.from({ length: BIND_TRIES }, (_, i) => sources[Math.round((i * (n - 1)) / (BIND_TRIES - 1))]!);
  for (const address of new Set(picks)) {
    const code = await new Promise<string | null>((resolve) => {
      const socket = createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
      socket.once('error', (err: NodeJS.ErrnoException) => {
        socket.close();
        resolve(err.code ?? 'error');
      });
      socket.bind(0, address, () => {
        socket.close();
        resolve(null);
      });
    });
    if (code !== null) throw usageError('--source', `not an address of this machine (binding it: ${code})`, address);
  }
}
