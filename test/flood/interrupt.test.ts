// Ctrl-C on the real CLI: the first (or a SIGTERM) stops opening connections and reports what ran
// (exit by its verdict), the second aborts those still running; both say so on stderr, in the
// report and in the JSON. Node cannot deliver either signal to a child process on Windows, so
// this runs elsewhere.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { useEchoServer } from '../helpers/faultyServers.js';
import { CLI } from '../helpers/serverProcess.js';

interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs `flood` against the echo server and sends `signal` `times` times: the first once the
 * server has accepted connections (the flood is under way), the next once the flood has said it
 * is stopping. Conditions polled, bounded; no fixed delays.
 */
function interrupted(args: string[], times: number, accepted: () => number, signal: NodeJS.Signals = 'SIGINT', after = 5): Promise<Done> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [CLI, 'flood', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const base = accepted();
    let sent = 0;
    const poll = setInterval(() => {
      const due = sent === 0 ? accepted() - base >= after : stderr.includes('flood: stopping');
      if (sent < times && due) {
        child.kill(signal);
        sent++;
      }
    }, 20);
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', (code) => {
      clearInterval(poll);
      clearTimeout(guard);
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

describe.skipIf(process.platform === 'win32')('flood interrupted with Ctrl-C', () => {
  const server = useEchoServer();
  const accepted = () => server().stats().sessions.accepted;

  it.each(['SIGINT', 'SIGTERM'] as const)('the first %s opens no more connections and reports what ran', async (signal) => {
    const r = await interrupted([`127.0.0.1:${server().port}`, '-c', '20', '--duration', '60s', '--mix', 'graceful=1', '--seed', '3', '--json', '--no-progress'], 1, accepted, signal);
    expect(r.code, r.stderr).toBe(0);
    expect(r.ms).toBeLessThan(20_000);
    const again = signal === 'SIGINT' ? 'Ctrl-C again' : 'SIGTERM or Ctrl-C again';
    expect(r.stderr).toBe(`flood: stopping: no new connections, those running finish (${again} aborts them)\n`);
    const j = JSON.parse(r.stdout);
    expect(j.stoppedEarly).toBe('stop');
    expect(j.verdict).toBe('PASS');
    expect(j.connections.started).toBeGreaterThan(0);
    expect(j.connections.ok).toBe(j.connections.started);
    expect(j.connections.aborted).toBe(0);
    expect(j.elapsedMs).toBeLessThan(20_000);
  }, 40_000);

  it('a second Ctrl-C aborts the connections still running; the report says both', async () => {
    // Idle holders stay connected 30 s: only the abort can end them. The graceful ones complete.
    // 20 accepted: with 20 at once and half of them idle holders, some hold by then.
    const r = await interrupted([`127.0.0.1:${server().port}`, '-c', '20', '--duration', '60s', '--mix', 'graceful=1,idle=1', '--hold', '30s', '--seed', '3', '--no-progress'], 2, accepted, 'SIGINT', 20);
    expect(r.code, r.stderr).toBe(0);
    expect(r.ms).toBeLessThan(20_000);
    expect(r.stderr.split('\n')).toEqual([
      'flood: stopping: no new connections, those running finish (Ctrl-C again aborts them)',
      'flood: aborting the connections still running',
      '',
    ]);
    const lines = r.stdout.trimEnd().split('\n');
    // The header (target, seed, plan) was printed at the start; the report begins with how long it ran.
    expect(lines[3]).toMatch(/^ran [\d.]+ s$/);
    expect(lines[4]).toBe('aborted on request: the connections still running were cut off');
    expect(lines.filter((l) => /^\d+ connection\(s\) were still running at the end and were aborted$/.test(l))).toHaveLength(1);
    expect(lines.at(-1)).toBe('ABORTED: the run was cut off on request; what ran: PASS');
  }, 40_000);
});
