// A person's terminal: the header (target, seed, transport, plan) is on stdout before the first
// connection ends, not with the report; the report fits 80 columns and about 40 lines with the
// default mix of all nine modes.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { CLI } from '../helpers/serverProcess.js';

describe('the report on a terminal', () => {
  it('prints its header at once: while the run is still going', async () => {
    // A 3 s run, still going when its header is in: the header came first. (Stopped early by a
    // signal instead, it could end before its first connection, which is a FAIL: nothing measured.)
    const child = spawn(process.execPath, [CLI, 'flood', '-c', '5', '-d', '3s', '--seed', '9', '--no-progress'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const headerIn = await new Promise<string>((resolve) => {
      child.stdout.on('data', (c) => {
        stdout += c;
        if (/plan: .*\n/.test(stdout)) resolve(stdout);
      });
      child.once('exit', () => resolve(stdout));
    });
    const stillRunning = child.exitCode === null;
    expect(await exited).toBe(0);
    clearTimeout(guard);
    expect(stillRunning).toBe(true);
    expect(headerIn.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(/^iocp-bench flood -> embedded \w+ server on 127\.0\.0\.1:\d+$/),
      expect.stringMatching(/^seed 9 \| up to 5 at once \| \d+ client threads? \| transport \w+$/),
      'plan: for 3s | closed loop',
    ]);
    // The final report does not repeat it.
    expect(stdout.match(/^seed 9/gm)).toHaveLength(1);
    expect(stdout).toMatch(/\nran [\d.]+ s[\n:]/);
  }, 40_000);

  it('fits 80 columns and about 40 lines with every mode in the mix', async () => {
    const r = await runCliProcess(['flood', '-c', '50', '-n', '400', '--seed', '5', '--no-progress'], 60_000);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => /^ {2}(graceful|half-close|rst-mid-frame|rst-after-echo|rst-send-pending|connect-rst|connect-abort|idle|slow-drip) /.test(l))).toHaveLength(9);
    expect(lines.length).toBeLessThanOrEqual(40);
    expect(lines.filter((l) => l.length > 80)).toEqual([]);
    expect(lines.at(-1)).toBe('PASS');
  }, 60_000);
});
