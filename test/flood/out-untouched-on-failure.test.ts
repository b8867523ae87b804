// flood --out FILE: a flood that fails before it runs (an embedded server the platform cannot
// start, a --stats URL that cannot be read) leaves FILE as it was: an existing one keeps its
// content, an absent one is not created. A flood that runs replaces the file, header first.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { deadPort } from '../helpers/ports.js';

const OLD = 'old samples, not to be lost\n';
let dir = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'iocp-out-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An --out file that exists (with OLD in it) or not, and what it must be after a failed flood. */
const files = [
  ['an existing file keeps its content', 'keep.csv', true],
  ['an absent file is not created', 'new.csv', false],
] as const;

function prepare(name: string, exists: boolean): string {
  const file = path.join(dir, name);
  if (exists) writeFileSync(file, OLD);
  return file;
}

function expectUntouched(file: string, exists: boolean): void {
  if (exists) expect(readFileSync(file, 'utf8')).toBe(OLD);
  else expect(existsSync(file)).toBe(false);
}

// --backend iocp runs only on Windows: elsewhere the embedded server cannot start.
describe.skipIf(process.platform === 'win32')('an embedded server that cannot start', () => {
  it.each(files)('%s', async (_what, name, exists) => {
    const file = prepare(name, exists);
    const r = await runCliProcess(['flood', '-n', '2', '--backend', 'iocp', '--no-progress', '--out', file], 30_000);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([`iocp-bench: --backend iocp needs Windows on x86-64; this is ${process.platform} on ${process.arch}`]);
    expectUntouched(file, exists);
  });
});

describe('a --stats URL that cannot be read', () => {
  it.each(files)('%s', async (_what, name, exists) => {
    const file = prepare(name, exists);
    const port = await deadPort();
    const stats = `http://127.0.0.1:${port}/stats`;
    const r = await runCliProcess(['flood', `127.0.0.1:${port}`, '-n', '2', '--stats', stats, '--no-progress', '--out', file], 30_000);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^iocp-bench: cannot read server stats from ${stats.replace(/[.]/g, '\\.')}: `));
    expectUntouched(file, exists);
  });
});

it('a flood that runs replaces the existing file: the header, then its samples', async () => {
  const file = prepare('keep.csv', true);
  const r = await runCliProcess(['flood', '-n', '2', '--no-progress', '--out', file], 60_000);
  expect(r.code, r.stderr).toBe(0);
  const [header, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\n');
  expect(header!.split(',').slice(0, 3)).toEqual(['time', 'elapsedMs', 'intervalMs']);
  expect(rows.length).toBeGreaterThanOrEqual(1);
  for (const row of rows) expect(row.split(',')).toHaveLength(header!.split(',').length);
}, 90_000);
