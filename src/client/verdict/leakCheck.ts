/**
 * The leak verdict, read from the server's own counters. After the flood every session the server
 * accepted must have been freed exactly once, with no operation outstanding and no completion
 * that arrived for a freed slot. A server finishes its last closes asynchronously, so the counters
 * are polled until they settle (or the wait runs out) before judging.
 */
import { networkInterfaces } from 'node:os';
import { IocpBenchError } from '../../errors.js';
import type { ServerStats } from '../../server/index.js';
import { isLoopbackHost } from '../../units.js';

/** Reads the server's counters. */
export type StatsSource = () => Promise<ServerStats>;

export interface LeakVerdict {
  /** clean | leak | not-run (no stats source) | error (stats unreadable after the flood). */
  status: 'clean' | 'leak' | 'not-run' | 'error';
  /** Why it is not clean, one line each. */
  reasons: string[];
  /** live + outstanding + |accepted - freed| + stale completions, after settling; null if unknown. */
  leaks: number | null;
  before: ServerStats | null;
  after: ServerStats | null;
  /** How long the counters took to settle (ms). */
  settleMs: number;
}

const POLL_MS = 200;

/**
 * The counters of a server's stats that the flood, its reports and a saved result's readers
 * (report, merge: src/report/readResult.ts) read, each a number: by group, or (null) the field itself.
 */
export const STATS_COUNTERS: Readonly<Record<string, readonly string[] | null>> = {
  sessions: ['live', 'peak', 'accepted', 'freed', 'rejected'],
  ops: ['outstanding'],
  staleCompletions: null,
  bytes: ['in', 'out'],
};
const STATS_FIELDS = Object.entries(STATS_COUNTERS).flatMap(([k, sub]) => (sub ? sub.map((f) => `${k}.${f}`) : [k]));

export function statsFromUrl(url: string, timeoutMs = 5000): StatsSource {
  const timedOut = (err: unknown) => (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
  const within = `within ${timeoutMs / 1000} s`;
  return async () => {
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      if (timedOut(err)) throw new IocpBenchError('E_STATS', `cannot read server stats from ${url}: no answer ${within}`);
      // fetch() says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, ...) is its cause.
      const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (err as Error).message;
      // fetch() will not connect to the Fetch standard's blocked ports (6000, 10080, ...), which
      // the server serves and curl reads.
      const blocked = why === 'bad port' ? ': fetch() does not connect to this port (the Fetch standard blocks it); serve the stats on another --stats-port' : '';
      throw new IocpBenchError('E_STATS', `cannot read server stats from ${url}: ${why}${blocked}`);
    }
    if (!res.ok) {
      const body = res.status === 404 ? await res.text().catch(() => '') : '';
      throw new IocpBenchError('E_STATS', `server stats ${url} answered HTTP ${res.status}${statsPathHint(url, res.status, body)}`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      const why = timedOut(err) ? `its body did not arrive ${within}` : `its body was cut off (${(err as Error).message})`;
      throw new IocpBenchError('E_STATS', `cannot read server stats from ${url}: ${why}`);
    }
    let body: ServerStats;
    try {
      body = JSON.parse(text) as ServerStats;
    } catch {
      throw new IocpBenchError('E_STATS', `${url} did not answer JSON: is it the server's /stats URL?`);
    }
    if (!body || typeof body !== 'object' || !body.sessions || !body.ops) {
      throw new IocpBenchError('E_STATS', `${url} did not return server stats (no sessions/ops fields)`);
    }
    // What the leak check, the reports and a saved result's readers (report, merge) read of them.
    const missing = STATS_FIELDS.filter((f) => typeof f.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], body) !== 'number');
    if (missing.length) throw new IocpBenchError('E_STATS', `${url} did not return server stats (missing or not a number: ${missing.join(', ')})`);
    // What only some servers have (a backend's own counters): none at all reads as none of them.
    if (typeof body.extra !== 'object' || body.extra === null) body.extra = {};
    return body;
  };
}

/** The body of the stats endpoint's own 404 (statsServer.ts): the server is ours, and serves /stats only. */
const OWN_NOT_FOUND = 'try /stats or /metrics';

/**
 * A 404: where the server's counters are. From the stats endpoint itself (its 404 says so, also
 * through a proxy that serves it under a path): `stats` in place of the path's last part, or
 * after a path that ends in `/` (`/stat` and `/stats/` -> `/stats`, `/iocp/` -> `/iocp/stats`),
 * and /stats on the origin for a path that already ends in /stats. From something else (a
 * proxy's own page): /stats under the path given, and no guess for a path that ends in /stats.
 */
function statsPathHint(url: string, status: number, body: string): string {
  if (status !== 404) return '';
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '';
  }
  u.search = '';
  u.hash = '';
  if (body.trim() === OWN_NOT_FOUND) {
    const path = u.pathname.replace(/(\/stats)\/+$/, '$1');
    u.pathname = path.endsWith('/stats') ? '/stats' : path.replace(/[^/]*$/, 'stats');
  } else {
    const path = u.pathname.replace(/\/+$/, '');
    if (path.endsWith('/stats')) return '';
    u.pathname = `${path}/stats`;
  }
  return `: the server's counters are at /stats: try ${u.href}`;
}

/** Problems in a snapshot; empty = clean. */
export function leakReasons(s: ServerStats): string[] {
  const r: string[] = [];
  if (s.sessions.live !== 0) r.push(`${s.sessions.live} session(s) still live`);
  if (s.ops.outstanding !== 0) r.push(`${s.ops.outstanding} operation(s) still outstanding`);
  if (s.sessions.accepted !== s.sessions.freed) {
    r.push(`accepted ${s.sessions.accepted} != freed ${s.sessions.freed}`);
  }
  if (s.staleCompletions !== 0) r.push(`${s.staleCompletions} stale completion(s)`);
  const doubleFrees = s.extra?.doubleFrees ?? 0;
  if (doubleFrees !== 0) r.push(`${doubleFrees} session(s) freed twice`);
  return r;
}

function leakCount(s: ServerStats): number {
  return (
    Math.abs(s.sessions.live) +
    Math.abs(s.ops.outstanding) +
    Math.abs(s.sessions.accepted - s.sessions.freed) +
    Math.abs(s.staleCompletions) +
    Math.abs(s.extra?.doubleFrees ?? 0)
  );
}

/**
 * Polls `source` until the snapshot is clean and the server has seen at least `reached`
 * connections since `before` (with no `before`, since it started: `merge`, after the shards; those
 * still in its listen queue are not accepted yet), or until `timeoutMs` passes; then judges the
 * last one.
 */
export async function checkLeaks(source: StatsSource | null, before: ServerStats | null, timeoutMs: number, reached = 0): Promise<LeakVerdict> {
  if (!source) return { status: 'not-run', reasons: ['no server stats available (pass --stats <url>)'], leaks: null, before, after: null, settleMs: 0 };
  const t0 = Date.now();
  let after: ServerStats;
  try {
    after = await source();
    // Stale completions and double frees never go away by waiting; everything else may still be draining.
    const final = (x: ServerStats) => x.staleCompletions !== 0 || (x.extra?.doubleFrees ?? 0) !== 0;
    const unsettled = (x: ServerStats) => (leakReasons(x).length > 0 && !final(x)) || seenSince(x, before) < reached;
    while (unsettled(after) && Date.now() - t0 < timeoutMs) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      after = await source();
    }
  } catch (err) {
    return { status: 'error', reasons: [(err as Error).message], leaks: null, before, after: null, settleMs: Date.now() - t0 };
  }
  const reasons = leakReasons(after);
  return { status: reasons.length ? 'leak' : 'clean', reasons, leaks: leakCount(after), before, after, settleMs: Date.now() - t0 };
}

/** Whether `host` names this machine: loopback, or an address of one of its interfaces. */
function isThisHost(host: string): boolean {
  if (isLoopbackHost(host)) return true;
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return Object.values(networkInterfaces()).some((list) => list?.some((a) => a.address.toLowerCase() === h));
}

/**
 * The leak check of a flood's target from its stats, refusing those of another server
 * (foreignStatsReason): one on this machine on another port is told at once from `first`, a
 * reading already taken (the flood's before, merge's first); one that has not seen the `reached`
 * connections, since `before` (null: since it started), once the settle wait runs out. `foreign`:
 * the stats were judged another server's, which then name nothing of the target.
 */
export async function checkTargetLeaks(
  source: StatsSource | null,
  target: { host: string; port: number },
  first: ServerStats | null,
  before: ServerStats | null,
  timeoutMs: number,
  reached: number,
): Promise<{ leak: LeakVerdict; foreign: boolean }> {
  const wrongPort = foreignStatsReason(target, first, null, reached);
  if (wrongPort) return { leak: { status: 'error', reasons: [wrongPort], leaks: null, before, after: null, settleMs: 0 }, foreign: true };
  const leak = await checkLeaks(source, before, timeoutMs, reached);
  const foreign = foreignStatsReason(target, leak.before, leak.after, reached);
  if (foreign === null) return { leak, foreign: false };
  const judged = leak.status === 'clean' || leak.status === 'leak';
  return { leak: judged ? { ...leak, status: 'error', reasons: [foreign], leaks: null } : leak, foreign: true };
}

/** Connections a server has dealt with: accepted, rejected, and (IOCP) accepts that failed. */
const seen = (x: ServerStats) => x.sessions.accepted + x.sessions.rejected + (x.extra?.acceptFailures ?? 0);

/** Connections a server has dealt with since `before` (null: since it started). */
const seenSince = (x: ServerStats, before: ServerStats | null) => seen(x) - (before ? seen(before) : 0);

/**
 * Are these the target's counters? A leak check over another server's stats would judge a server
 * that saw none of the flood (and call it clean). A server on this machine must listen on the
 * target's port; and (after settling) it must have seen at least the connections that reached
 * the target: since `before`, or with no `before` (`merge`, which reads the stats once the shards
 * have finished), since it started. Returns why not, or null.
 */
export function foreignStatsReason(
  target: { host: string; port: number },
  before: ServerStats | null,
  after: ServerStats | null,
  reachedTarget: number,
): string | null {
  const s = after ?? before;
  if (!s) return null;
  if (isThisHost(target.host) && s.listen?.port !== undefined && s.listen.port !== target.port)
    return `these stats are not the target's: that server listens on port ${s.listen.port}, the flood's target is port ${target.port}`;
  if (after && seenSince(after, before) < reachedTarget)
    return `these stats are not the target's: that server saw ${seenSince(after, before)} ${before ? 'new connection(s)' : 'connection(s) in all'}, ${reachedTarget} reached the target`;
  return null;
}
