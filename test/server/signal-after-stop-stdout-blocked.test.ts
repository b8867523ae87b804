// After the stop, the bin waits for its output to be written before it exits. A reader that
// stalls without exiting (an unscrolled pager, a stuck log shipper) never lets that finish: a
// signal then ends the process (exit 1: what was unwritten is lost), instead of leaving one that ignores all
// but SIGKILL. Linux: stdout is a FIFO nobody reads, found full when a non-blocking write to it is
// refused.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/serverProcess.js';
import { waitFor } from '../helpers/waitFor.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-stdout-blocked-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(process.platform === 'linux')('a signal after the stop, with stdout blocked', () => {
  it('ends the process at once, with exit 1 and a line saying why', async () => {
    const fifo = path.join(dir, 'stdout');
    execFileSync('mkfifo', [fifo]);
    // Opened for reading and writing, the FIFO needs no other end to open; nothing reads it.
    const held = openSync(fifo, constants.O_RDWR);
    // Samples every 10 ms on stdout (the log goes to stderr): the FIFO fills in seconds.
    const child = spawn(process.execPath, [CLI, 'server', '--port', '0', '--no-stats', '--out', '-', '--interval', '10ms'], {
      stdio: ['ignore', held, 'pipe'],
    });
    try {
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await waitFor(() => stderr.includes('echo on'), 15_000, 'the listening line');
      // A second writer finds the FIFO full when a non-blocking write is refused.
      const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      let full = false;
      try {
        await waitFor(() => {
          try {
            writeSync(fd, Buffer.alloc(256));
            return false;
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
            return (full = true);
          }
        }, 30_000, 'the stdout pipe to fill');
      } finally {
        closeSync(fd);
      }
      expect(full).toBe(true);
      child.kill('SIGINT');
      await waitFor(() => stderr.includes('stopped (signal SIGINT)'), 15_000, 'the stopped line');
      // The process is now waiting for stdout. A second signal ends it.
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 5_000))]);
      // Exit 1: samples still unwritten are lost, and it says so.
      expect(code).toBe(1);
      expect(stderr).toContain('iocp-bench server: SIGTERM while the output was still being written; exiting');
    } finally {
      child.kill('SIGKILL');
      closeSync(held);
    }
  }, 60_000);
});
