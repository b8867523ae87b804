// Against the project's own server, refcount lifetime, on every backend that runs here:
// 20,000 connections churned with the full mix, zero data faults, a clean leak verdict.
// And against the naive lifetime: FAIL, naming why.
import { describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { WINDOWS_SCALE } from '../helpers/serverLaunchers.js';

const native = process.platform === 'win32' ? 'iocp' : 'epoll';
// Windows: a quarter (TIME_WAIT and the dynamic port range, see WINDOWS_SCALE).
const TOTAL = Math.round(20_000 * (process.platform === 'win32' ? WINDOWS_SCALE : 1));

describe('flood against the embedded server', () => {
  it.each([native, 'node'])(`%s backend: ${TOTAL} connections, full mix, PASS`, async (backend) => {
    const r = await runCliProcess(
      ['flood', '-n', String(TOTAL), '--seed', '7', '--backend', backend, '--json', '--no-progress'],
      240_000,
    );
    const result = JSON.parse(r.stdout);
    expect(result.reasons).toEqual([]);
    expect(r.code).toBe(0);
    expect(result.verdict).toBe('PASS');
    expect(result.connections.started).toBe(TOTAL);
    expect(Object.keys(result.connections.byMode)).toHaveLength(9);
    expect(result.faults.total).toBe(0);
    expect(result.leak.status).toBe('clean');
    expect(result.leak.after.sessions.accepted).toBe(result.leak.after.sessions.freed);
    expect(result.leak.after.staleCompletions).toBe(0);
  }, 300_000);

  it(`${native} backend, naive lifetime: FAIL naming stale completions or cross-talk`, async () => {
    const r = await runCliProcess(['flood', '-n', '5000', '--lifetime', 'naive', '--json', '--no-progress'], 120_000);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result.verdict).toBe('FAIL');
    expect(result.reasons.join('; ')).toMatch(/stale completion|foreign/);
  }, 180_000);
});
