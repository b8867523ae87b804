// --out -: the samples go to stdout, one JSON object a line, and the report to stderr; with
// --json it is a usage error (both on stdout), and a file that cannot be opened is one too,
// said in one line before anything runs.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('--out - writes the samples on stdout and the report on stderr', async () => {
  const { code, stdout, stderr } = await runCliProcess(
    ['flood', '-d', '1200ms', '-c', '10', '--workers', '1', '--interval', '400ms', '--out', '-', '--no-progress'],
    60_000,
  );
  expect(code, stderr).toBe(0);
  const lines = stdout.trimEnd().split('\n');
  expect(lines.length).toBeGreaterThanOrEqual(3);
  for (const l of lines) expect(JSON.parse(l)).toMatchObject({ intervalMs: expect.any(Number), roundTripUs: { p50: expect.any(Number) } });
  expect(stderr).toContain('PASS');
}, 90_000);

it('--out - with --json is a usage error', async () => {
  const { code, stderr } = await runCliProcess(['flood', '-n', '1', '--out', '-', '--json'], 30_000);
  expect(code).toBe(2);
  expect(stderr.trim().split('\n')).toEqual(['iocp-bench: --out: not - with --json: both would write to stdout (got "-")']);
});

it('a file that cannot be opened: one line, exit 2, nothing run', async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'iocp-out-'));
  const file = path.join(dir, 'missing', 'samples.ndjson');
  const { code, stdout, stderr } = await runCliProcess(['flood', '-n', '1', '--out', file], 30_000);
  expect(code).toBe(2);
  expect(stdout).toBe('');
  expect(stderr.trim().split('\n')).toEqual([`iocp-bench: --out: cannot open ${file} for writing: ENOENT`]);
  expect(existsSync(path.dirname(file))).toBe(false);
});
