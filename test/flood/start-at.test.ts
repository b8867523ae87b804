// --start-at: the flood sets up, waits for the time, then starts, and records how far its real
// start was from it; a time already past starts at once and says how late; Ctrl-C while waiting
// stops cleanly with nothing run.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { useEchoServer } from '../helpers/faultyServers.js';
import { runCliProcess } from '../helpers/cli.js';
import { CLI } from '../helpers/serverProcess.js';

describe('flood --start-at', () => {
  const server = useEchoServer();
  const target = () => `127.0.0.1:${server().port}`;
  const base = ['-c', '4', '-n', '8', '--mix', 'graceful', '--json', '--no-progress'];

  it('waits for a time ahead, then starts and records the start and its offset', async () => {
    // Ahead of the set-up (which takes seconds on a slow machine, or under Wine).
    const at = new Date(Date.now() + 3000).toISOString();
    const r = await runCliProcess(['flood', target(), '--start-at', at, ...base]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^flood: set up; waiting until \S+Z \(\d+\.\d s\) to start$/m);
    const result = JSON.parse(r.stdout);
    expect(result.startAt.at).toBe(at);
    // A timer never fires early; how late it is depends on the machine's load.
    expect(result.startAt.offsetMs).toBeGreaterThanOrEqual(0);
    expect(result.connections.ok).toBe(8);
  });

  it('starts at once when the time has passed, and says how late', async () => {
    const r = await runCliProcess(['flood', target(), '--start-at', '2020-01-01T00:00:00Z', ...base]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^flood: --start-at 2020-01-01T00:00:00\.000Z passed \d+\.\d s ago; starting now$/m);
    const result = JSON.parse(r.stdout);
    expect(result.startAt.offsetMs).toBeGreaterThan(Date.now() - Date.parse('2020-01-02T00:00:00Z'));
    const text = await runCliProcess(['flood', target(), '--start-at', '2020-01-01T00:00:00Z', '-c', '2', '--mix', 'graceful', '--no-progress']);
    expect(text.stdout).toMatch(/^start at 2020-01-01T00:00:00\.000Z: began \d+\.\d\d s late$/m);
  });

  it.skipIf(process.platform === 'win32')('stops cleanly on Ctrl-C while waiting: nothing measured, so FAIL', async () => {
    const child = spawn(process.execPath, [CLI, 'flood', target(), '--start-at', '+10m', ...base], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => {
      stderr += c;
      if (!sent && stderr.includes('waiting until')) sent = child.kill('SIGINT');
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    clearTimeout(guard);
    expect(stderr).toContain('flood: stopping');
    expect(code).toBe(1);
    const result = JSON.parse(stdout);
    expect(result.stoppedEarly).toBe('stop');
    expect(result.connections.started).toBe(0);
    expect(result.startAt).toBeNull();
    expect(result.reasons).toEqual(['stopped before any connection was opened: nothing was measured']);
  });

  it('refuses a time it cannot read, without a zone, or more than a day ahead', async () => {
    for (const [raw, why] of [
      ['tomorrow', 'not an ISO time with a zone'],
      ['2030-01-01T00:00:00', 'not an ISO time with a zone'],
      ['+25h', 'more than 24h from now'],
    ]) {
      const r = await runCliProcess(['flood', target(), '--start-at', raw!, '--no-progress']);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`--start-at: ${why}`);
    }
  });
});
