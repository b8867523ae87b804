// A server that saw its own lifetime rules broken (stale completions, sessions freed twice: what
// --lifetime naive and the bug zoo's faults do) says so in its stop summary and exits 1, as its
// stats and the flood's verdict do; a correct one under the same load exits 0 with nothing to say.
// Linux: the stress profile's faults show on epoll here (test/flood/bug-zoo.test.ts).
import { describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { startServerProcess } from '../helpers/serverProcess.js';

async function stressed(lifetime: string) {
  // The stress profile's own server settings, here on a server of its own: small send buffers.
  const server = await startServerProcess(['--lifetime', lifetime, '--send-buffer', '4k', '--duration', '7s']);
  const flood = await runCliProcess(
    ['flood', `127.0.0.1:${server.port}`, '--stats', server.statsUrl, '--profile', 'stress', '-d', '3s', '--seed', '11', '--json', '--no-progress'],
    60_000,
  );
  const { code } = await server.stop(null, 30_000);
  const lines = server.stdout().trim().split('\n');
  return { code, flood: JSON.parse(flood.stdout), stopped: JSON.parse(lines.at(-1)!), stderr: server.stderr() };
}

describe.runIf(process.platform === 'linux')('a server that broke its lifetime rules', () => {
  it('double-release: the stop says so, exit 1', async () => {
    const r = await stressed('double-release');
    expect(r.flood.verdict).toBe('FAIL');
    expect(r.stopped.event).toBe('stopped');
    expect(r.stopped.stats.staleCompletions + r.stopped.stats.extra.doubleFrees).toBeGreaterThan(0);
    expect(r.stopped.lifetimeBroken).toMatch(/^\d+ completion\(s\) found their session gone \(stale\)|^\d+ session\(s\) freed twice/);
    expect(r.code).toBe(1);
  }, 90_000);

  it('refcount under the same load: exit 0', async () => {
    const r = await stressed('refcount');
    expect(r.flood.verdict).toBe('PASS');
    expect(r.stopped.stats.staleCompletions).toBe(0);
    expect(r.stopped.lifetimeBroken).toBeNull();
    expect(r.code).toBe(0);
  }, 90_000);
});
