// Ctrl-C or SIGTERM while the flood is still starting up (its code loading, its options being
// checked, before the run exists) is not lost: the flood listens first, keeps the request, and
// applies it to the run once there is one, so it ends with its usual result (FAIL, nothing was
// measured), one JSON object with --json, and the exit code of the verdict; a second signal
// aborts; a bad flag is still one line and exit 2. Before, the process died of the signal with
// nothing on stdout or stderr (exit 143 or 130).
//
// The window is hit deterministically, without sleeps: a module hook in the child (through
// `node --import`) holds the load of the flood engine (dist/client/flood.js, the largest part of
// the start-up) and says so on fd 3; the test sends its signal(s), waits until the flood has said
// on stderr that it heard them, and only then lets the load go on (one byte back on fd 3).
//
// Node cannot deliver SIGINT or SIGTERM to a child process on Windows (its kill() is
// TerminateProcess), so this runs elsewhere.
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { useEchoServer } from '../helpers/faultyServers.js';
import { CLI } from '../helpers/serverProcess.js';
import { REPEAT_WINDOW_MS } from '../../src/signals.js';

/** Runs in the child's module-hooks thread: holds the flood engine's load until the test says go. */
const HOOKS = `
import { readSync, writeSync } from 'node:fs';
export async function load(url, context, nextLoad) {
  if (url.endsWith('/dist/client/flood.js')) {
    writeSync(3, 'held\\n');
    readSync(3, Buffer.alloc(1));
  }
  return nextLoad(url, context);
}`;
const PRELOAD = `import { register } from 'node:module'; register(${JSON.stringify(dataUrl(HOOKS))});`;

function dataUrl(source: string): string {
  return `data:text/javascript,${encodeURIComponent(source)}`;
}

interface Done {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts `flood args`, and while its engine is held (the run does not exist yet) sends `signals`
 * in turn: each once the flood has said it heard the one before (and more than REPEAT_WINDOW_MS
 * after, so that it counts as a second request); then lets the start-up go on. Conditions polled,
 * bounded; no fixed delays.
 */
function signalledDuringStartup(args: string[], signals: NodeJS.Signals[]): Promise<Done> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', dataUrl(PRELOAD), CLI, 'flood', ...args], {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    const hold = child.stdio[3] as Readable & Writable;
    let stdout = '';
    let stderr = '';
    let held = false;
    child.stdout!.on('data', (c) => (stdout += c));
    child.stderr!.on('data', (c) => (stderr += c));
    hold.on('data', (c) => (held ||= String(c).includes('held')));
    hold.on('error', () => undefined); // the child gone (the defect): nothing more to say on it
    const heard = ['flood: stopping', 'flood: aborting'];
    let sent = 0;
    let heardAt = 0;
    let released = false;
    const poll = setInterval(() => {
      if (!held || released) return;
      if (sent > 0 && heardAt === 0 && stderr.includes(heard[Math.min(sent, 2) - 1]!)) heardAt = Date.now();
      if (sent === 0 || (sent < signals.length && heardAt > 0 && Date.now() - heardAt > REPEAT_WINDOW_MS)) {
        child.kill(signals[sent++]);
        heardAt = 0;
      } else if (sent === signals.length && heardAt > 0) {
        released = true;
        hold.write('g');
      }
    }, 10);
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', (code, signal) => {
      clearInterval(poll);
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const STOP = {
  SIGINT: 'flood: stopping: no new connections, those running finish (Ctrl-C again aborts them)',
  SIGTERM: 'flood: stopping: no new connections, those running finish (SIGTERM or Ctrl-C again aborts them)',
};

describe.skipIf(process.platform === 'win32')('a stop signal during the flood start-up', () => {
  const server = useEchoServer();
  const target = () => `127.0.0.1:${server().port}`;

  it.each(['SIGTERM', 'SIGINT'] as const)('%s: the flood stops before its first connection and reports it, one JSON object', async (signal) => {
    const r = await signalledDuringStartup([target(), '-d', '10s', '-c', '50', '--json', '--no-progress'], [signal]);
    expect({ code: r.code, signal: r.signal }, r.stderr).toEqual({ code: 1, signal: null });
    expect(r.stderr).toBe(`${STOP[signal]}\n`);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]!);
    expect(j.verdict).toBe('FAIL');
    expect(j.reasons[0]).toMatch(/^stopped before any connection was opened/);
    expect(j.stoppedEarly).toBe('stop');
    expect(j.connections.started).toBe(0);
    expect(server().stats().sessions.accepted).toBe(0);
  }, 40_000);

  it('a second signal during the start-up aborts', async () => {
    const r = await signalledDuringStartup([target(), '-d', '10s', '-c', '50', '--json', '--no-progress'], ['SIGINT', 'SIGINT']);
    expect({ code: r.code, signal: r.signal }, r.stderr).toEqual({ code: 1, signal: null });
    expect(r.stderr).toBe(`${STOP.SIGINT}\nflood: aborting the connections still running\n`);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]!);
    expect(j.verdict).toBe('FAIL');
    expect(j.stoppedEarly).toBe('abort');
    expect(j.connections.started).toBe(0);
  }, 40_000);

  it('a bad flag value is still one line and exit 2 (one JSON object), with no stack trace', async () => {
    const r = await signalledDuringStartup([target(), '-c', 'abc', '--json', '--no-progress'], ['SIGTERM']);
    expect({ code: r.code, signal: r.signal }, r.stderr).toEqual({ code: 2, signal: null });
    expect(r.stderr).toBe(`${STOP.SIGTERM}\niocp-bench: --connections: not a count like 1000 or 10k (got "abc")\n`);
    expect(JSON.parse(r.stdout)).toEqual({
      verdict: 'ERROR',
      reasons: ['--connections: not a count like 1000 or 10k (got "abc")'],
      error: { code: 'E_USAGE' },
    });
  }, 40_000);
});
