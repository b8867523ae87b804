// --out writes each sample as it is taken: a flood killed with SIGKILL about 3 s into a 20 s run
// leaves a file of complete samples (at least 2), each one a whole line of JSON.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { CLI } from '../helpers/serverProcess.js';
import { waitFor } from '../helpers/waitFor.js';
import type { IntervalSample } from '../../src/client/verdict/samples.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('a flood killed with SIGKILL keeps every sample it finished', async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'iocp-out-'));
  const file = path.join(dir, 'samples.ndjson');
  const child = spawn(process.execPath, [CLI, 'flood', '-d', '20s', '-c', '50', '--workers', '2', '--out', file, '--no-progress'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  try {
    // The file is opened before the run; the first sample comes 1 s into it. The kill comes 2 s
    // after that: about 3 s into the run, however long the start-up took on a loaded machine.
    await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').includes('\n'), 20_000, `the first sample (${stderr})`);
    const first = Date.now();
    await waitFor(() => Date.now() - first >= 2000, 5000, '2 s more');
  } finally {
    child.kill('SIGKILL');
  }
  expect(await exited).toBe('SIGKILL');
  const text = readFileSync(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  const samples = text.trimEnd().split('\n').map((l) => JSON.parse(l) as IntervalSample);
  expect(samples.length).toBeGreaterThanOrEqual(2);
  samples.forEach((s, i) => {
    expect(Object.keys(s)).toEqual([
      'time', 'elapsedMs', 'intervalMs', 'connections', 'messages', 'bytes', 'roundTripUs', 'serviceTimeUs', 'faults', 'errors', 'server',
    ]);
    // Whole intervals, one after the other (a boundary a busy thread passed is folded into the next).
    expect(s.elapsedMs % 1000).toBe(0);
    expect(s.intervalMs).toBe(s.elapsedMs - (i > 0 ? samples[i - 1]!.elapsedMs : 0));
    expect(s.intervalMs).toBeGreaterThan(0);
    expect(s.messages.verified).toBeGreaterThan(0);
    expect(s.roundTripUs.count).toBeGreaterThan(0);
    expect(s.roundTripUs.p50).toBeLessThanOrEqual(s.roundTripUs.p99);
    expect(s.serviceTimeUs).toBeNull();
    expect(s.faults.total).toBe(0);
    expect(s.server?.live).toBeGreaterThanOrEqual(0);
    expect(Math.abs(s.time - Date.now())).toBeLessThan(60_000);
  });
}, 60_000);
