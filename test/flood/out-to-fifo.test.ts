// --out to a FIFO with a reader (`mkfifo p; consumer < p & iocp-bench flood --out p`): the check
// before the run asks only for write permission, so the reader gets every line. Opening and
// closing the FIFO to check it handed the reader an end of file; it went away, and the run's own
// open then blocked for ever with the event loop (and so Ctrl-C) stuck behind it.
//
// mkfifo is POSIX: not on Windows.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it.skipIf(process.platform === 'win32')('a FIFO with a reader gets the header and every sample', async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'iocp-out-fifo-'));
  const fifo = path.join(dir, 'samples.csv');
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  // The reader: cat, which ends at the FIFO's first end of file.
  const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  reader.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  const readerDone = new Promise<number | null>((resolve) => reader.once('exit', resolve));
  try {
    const r = await runCliProcess(['flood', '-n', '4', '-c', '2', '--no-progress', '--out', fifo], 30_000);
    // Killed after 30 s (code null) when it hung.
    expect(r.code, r.stderr).toBe(0);
    expect(await readerDone).toBe(0);
    const [header, ...rows] = text.trimEnd().split('\n');
    expect(header!.split(',').slice(0, 3)).toEqual(['time', 'elapsedMs', 'intervalMs']);
    expect(rows.length).toBeGreaterThanOrEqual(1);
  } finally {
    reader.kill('SIGKILL');
  }
}, 60_000);
