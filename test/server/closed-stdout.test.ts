// A reader that goes away (the server piped into `head`, a supervisor that closed its pipe) must
// not crash the server with a stack trace: its stop still drains and exits 0, silently.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, gracefulStop } from '../helpers/serverProcess.js';

describe('server whose stdout reader went away', () => {
  it('stops cleanly (SIGTERM; on Windows, its --duration), exit 0, no stack trace', async () => {
    const stop = gracefulStop('3s');
    const child = spawn(process.execPath, [CLI, 'server', '--port', '0', '--json', ...stop.args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no listening line')), 15_000);
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('"listening"')) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    child.stdout.destroy(); // the reader is gone: the next write gets EPIPE
    const code = await new Promise<number | null>((resolve) => {
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', (c) => (clearTimeout(t), resolve(c)));
      if (stop.signal) child.kill(stop.signal);
    });
    expect(err).toBe('');
    expect(code).toBe(0);
  });
});
