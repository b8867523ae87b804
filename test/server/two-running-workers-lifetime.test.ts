// Two workers running at once (--concurrency 2; one is the default on two cores, so the other
// tests seldom have two): their edges, posts, held registrations and closes race on the same
// sessions, and under the stress profile's abrupt disconnects the lifetime rules still hold. Every
// session freed once, no completion stale, the flood's verdict PASS and the server's exit 0. (A
// claim of a receive made with a plain read and write instead of a compare-and-swap lost receives
// here: sessions stalled, operations outstanding.) The server stops by itself 10 s after its
// start, well after the flood's 4 s and its leak check. Linux: the run tokens are epoll's.
import { describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { startServerProcess } from '../helpers/serverProcess.js';

describe.runIf(process.platform === 'linux')('two running workers', () => {
  it('under the stress profile: every session freed once, nothing stale, PASS, exit 0', async () => {
    const server = await startServerProcess(['--concurrency', '2', '--send-buffer', '4k', '--duration', '10s']);
    const flood = await runCliProcess(
      ['flood', `127.0.0.1:${server.port}`, '--stats', server.statsUrl, '--profile', 'stress', '-d', '4s', '--workers', '2', '--seed', '12', '--json', '--no-progress'],
      60_000,
    );
    const { code } = await server.stop(null, 30_000);
    const stopped = JSON.parse(server.stdout().trim().split('\n').at(-1)!);
    const result = JSON.parse(flood.stdout);
    const s = stopped.stats;
    const detail = JSON.stringify({ reasons: result.reasons, sessions: s.sessions, ops: s.ops, stale: s.staleCompletions, extra: s.extra });
    expect(result.verdict, detail).toBe('PASS');
    expect(s.sessions.accepted, detail).toBeGreaterThan(1000);
    expect(s.sessions.freed, detail).toBe(s.sessions.accepted);
    expect(s.ops.outstanding, detail).toBe(0);
    expect(s.staleCompletions, detail).toBe(0);
    expect(s.extra.doubleFrees, detail).toBe(0);
    expect(s.perWorker.filter((w: { completions: number }) => w.completions > 0).length, detail).toBeGreaterThanOrEqual(2);
    expect(stopped.lifetimeBroken).toBeNull();
    expect(code).toBe(0);
  }, 90_000);
});
