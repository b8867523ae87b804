// Each runCli() call from code resolves with its own command's exit code and leaves the embedding
// program's process.exitCode alone: a failed flood or merge does not turn a later (or concurrent)
// successful command into a 1. Only a caller that owns the process (the bin) gets it set.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, expect, it, vi } from 'vitest';
import { runCli } from '../../src/index.js';
import { captureOutput } from '../helpers/captureOutput.js';
import { syntheticResult } from '../helpers/reportFixture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-library-exit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// A result that passes (report renders it: exit 0) and, run without --shard, fails as a merge's only input (exit 1).
const result = path.join(dir, 'pass.json');
writeFileSync(result, `${JSON.stringify(syntheticResult())}\n`);
const html = (name: string) => path.join(dir, name);

// Each test keeps the commands' output from the test run's terminal (captureOutput), until here.
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

it('a failed merge leaves process.exitCode alone, and a report after it returns 0', async () => {
  captureOutput();
  expect(await runCli(['merge', result])).toBe(1);
  expect(process.exitCode).toBeUndefined();
  expect(await runCli(['report', result, '-o', html('after-merge.html')])).toBe(0);
  expect(process.exitCode).toBeUndefined();
});

it('a failed flood leaves process.exitCode alone, and a report after it returns 0', async () => {
  captureOutput();
  // An embedded server, four short connections on the calling thread, and an assertion that fails.
  const flood = ['flood', '-c', '2', '-n', '4', '--messages', '1', '--workers', '0', '--no-progress', '--json', '--assert', 'connections==0'];
  expect(await runCli(flood)).toBe(1);
  expect(process.exitCode).toBeUndefined();
  expect(await runCli(['report', result, '-o', html('after-flood.html')])).toBe(0);
});

it('calls running at once each return their own code', async () => {
  captureOutput();
  const codes = await Promise.all([runCli(['merge', result]), runCli(['report', result, '-o', html('concurrent.html')]), runCli(['merge', result])]);
  expect(codes).toEqual([1, 0, 1]);
  expect(process.exitCode).toBeUndefined();
});

it('a caller that owns the process gets process.exitCode set to the code', async () => {
  captureOutput();
  expect(await runCli(['merge', result], { ownsProcess: true })).toBe(1);
  expect(process.exitCode).toBe(1);
  expect(await runCli(['report', result, '-o', html('owned.html')], { ownsProcess: true })).toBe(0);
  expect(process.exitCode).toBe(0);
});
