// One flood holds 10,000 concurrent connections (Linux limits permitting: see the README).
import { describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { useServerProcess } from '../helpers/serverProcess.js';

describe('flood at 10,000 concurrent connections', () => {
  const server = useServerProcess(['--max-sessions', '10k']);

  it('opens and holds them all, verifies, and the leak check is clean', async () => {
    const r = await runCliProcess(
      ['flood', `127.0.0.1:${server().port}`, '--stats', server().statsUrl, '-c', '10k', '-n', '10k',
        '--mix', 'idle=19,graceful=1', '--hold', '6s', '--json', '--no-progress'],
      120_000,
    );
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.verdict).toBe('PASS');
    expect(result.connections.ok).toBe(10_000);
    expect(result.errors.total).toBe(0);
    expect(result.leak.status).toBe('clean');
    // The server saw (nearly) all of them at once: idle holders stay 6 s, opening takes less.
    expect(result.leak.after.sessions.peak).toBeGreaterThanOrEqual(9_000);
  });
});
