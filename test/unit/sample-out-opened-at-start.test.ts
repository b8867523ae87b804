// openSampleOut() (--out FILE) checks the file without touching it: an existing file keeps its
// content, and an absent one is not created, until start() (the run started) truncates or creates
// it and writes the CSV header. A file that became unwritable between the check and start() is as
// a write that fails: one line on stderr, no throw, and lost() says what the file lacks.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { openSampleOut } from '../../src/sampleOut.js';

const OLD = 'old samples, not to be lost\n';
let dir = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'iocp-out-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

it('an existing file is untouched until start(), then replaced: the header, then the rows', () => {
  const file = path.join(dir, 'keep.csv');
  writeFileSync(file, OLD);
  const out = openSampleOut('--out', file, ['a', 'b.c']);
  expect(readFileSync(file, 'utf8')).toBe(OLD);
  out.start();
  out.start(); // once only: no second header
  out.write({ a: 1, b: { c: 2 } });
  out.close();
  expect(readFileSync(file, 'utf8')).toBe('a,b.c\n1,2\n');
  expect(out.lost()).toBeNull();
});

it('closed before start() (the run failed): an existing file keeps its content, an absent one is not created', () => {
  const kept = path.join(dir, 'keep.csv');
  const absent = path.join(dir, 'new.ndjson');
  writeFileSync(kept, OLD);
  for (const file of [kept, absent]) {
    const out = openSampleOut('--out', file, ['a']);
    out.close();
    out.start(); // after close: still nothing
    expect(out.lost()).toBeNull();
  }
  expect(readFileSync(kept, 'utf8')).toBe(OLD);
  expect(existsSync(absent)).toBe(false);
});

it('a file no longer writable at start(): one line on stderr, no throw, lost() says so', () => {
  const sub = path.join(dir, 'sub');
  mkdirSync(sub);
  const file = path.join(sub, 'samples.csv');
  const out = openSampleOut('--out', file, ['a']);
  rmSync(sub, { recursive: true });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  out.start();
  out.write({ a: 1 });
  out.close();
  expect(stderr.mock.calls).toEqual([[`iocp-bench: --out: cannot open ${file} for writing: ENOENT; no samples written\n`]]);
  expect(out.lost()).toBe(`--out: ${file} holds no samples: it could not be opened (ENOENT)`);
  expect(existsSync(file)).toBe(false);
});
