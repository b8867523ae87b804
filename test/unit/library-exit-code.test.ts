// Each runCli() call from code resolves with its own command's exit code and leaves the embedding
// program's process.exitCode alone: a failed flood or merge does not turn a later (or concurrent)
// successful command into a 1. Only a caller that owns the process (the bin) gets it set.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, expect, it, vi } from 'vitest';
import { runCli } from '../../src/index.js';
import { syntheticResult } from '../helpers/reportFixture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-library-exit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// A result that passes (report renders it: exit 0) and, run without --shard, fails as a merge's only input (exit 1).
const result = path.join(dir, 'pass.json');
writeFileSync(result, `${JSON.stringify(syntheticResult())}\n`);
const html = (name: string) => path.join(dir, name);

/** The commands' output, kept from the test run's terminal. */
function muteOutput(): void {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
}

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

it('a failed merge leaves process.exitCode alone, and a report after it returns 0', async () => {
  muteOutput();
  expect(await runCli(['merge', result])).toBe(1);
  expect(process.exitCode).toBeUndefined();
  expect(await runCli(['report', result, '-o', html('after-merge.html')])).toBe(0);
  expect(process.exitCode).toBeUndefined();
});

it('a failed flood leaves process.exitCode alone, and a report after it returns 0', async () => {
  muteOutput();
  // An embedded server, four short connections on the calling thread, and an assertion that fails.
  const flood = ['flood', '-c', '2', '-n', '4', '--messages', '1', '--workers', '0', '--no-progress', '--json', '--assert', 'connections==0'];
  expect(await runCli(flood)).toBe(1);
  expect(process.exitCode).toBeUndefined();
  expect(await runCli(['report', result, '-o', html('after-flood.html')])).toBe(0);
});

it('calls running at once each return their own code', async () => {
  muteOutput();
  const codes = await Promise.all([runCli(['merge', result]), runCli(['report', result, '-o', html('concurrent.html')]), runCli(['merge', result])]);
  expect(codes).toEqual([1, 0, 1]);
  expect(process.exitCode).toBeUndefined();
});

it('a caller that owns the process gets process.exitCode set to the code', async () => {
  muteOutput();
  expect(await runCli(['merge', result], { ownsProcess: true })).toBe(1);
  expect(process.exitCode).toBe(1);
  expect(await runCli(['report', result, '-o', html('owned.html')], { ownsProcess: true })).toBe(0);
  expect(process.exitCode).toBe(0);
});
