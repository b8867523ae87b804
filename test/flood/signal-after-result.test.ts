// A signal that reaches the command after its result is out (as `timeout` sends one when a flood
// or a server of the same length ends) does not turn the result into death by that signal: the
// process ends with the result's exit code. Without that, Node's own teardown after the last line
// (worker threads, native libraries) left a window of milliseconds with the signal's default
// action back.
import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';
import { CLI } from '../helpers/serverProcess.js';

const FLOOD = ['flood', '-c', '4', '-n', '8', '--no-progress'];
const SERVER = ['server', '--port', '0', '--no-stats', '--json', '--duration', '300ms'];

/** The command, sent `signal` as soon as `last` is on its stdout; resolves with how it ended. */
function signalAfter(args: string[], last: RegExp, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (c) => {
      stdout += c;
      if (!sent && last.test(stdout)) {
        sent = true;
        child.kill(signal);
      }
    });
    const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('close', (code, sig) => {
      clearTimeout(t);
      resolve({ code, signal: sig, stdout });
    });
  });
}

it.each([
  ['flood', 'SIGINT', FLOOD, /^PASS/m],
  ['flood', 'SIGTERM', FLOOD, /^PASS/m],
  ['server', 'SIGINT', SERVER, /"event":"stopped"/],
] as const)('%s, %s right after its last line: exit 0, not the signal', async (_name, signal, args, last) => {
  // Three times: the moment the signal lands varies, and each must end the same way.
  for (let i = 0; i < 3; i++) {
    const r = await signalAfter([...args], last, signal);
    expect(r.stdout).toMatch(last);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null });
  }
}, 120_000);
