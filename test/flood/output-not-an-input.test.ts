// A page written over the file it was made from would lose the data for good: `report -o`
// naming the result itself (or a link to it, or the file stdin is read from), `merge --report` naming one of the shards, and
// `flood --report` naming its own --out are usage errors before anything is read or run, and the
// file is left as it was.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliProcess, runProcess } from '../helpers/cli.js';
import { CLI } from '../helpers/serverProcess.js';
import { syntheticResult } from '../helpers/reportFixture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-not-input-'));
const saved = path.join(dir, 'run.json');
const text = `${JSON.stringify(syntheticResult())}\n`;
writeFileSync(saved, text);

describe('an output that names an input is refused', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('report -o naming the result file, as written, as another spelling or through a link', async () => {
    const link = path.join(dir, 'link.json');
    symlinkSync(saved, link);
    for (const out of [saved, path.join(dir, '.', 'run.json'), link]) {
      const r = await runCliProcess(['report', saved, '-o', out]);
      expect(r.stderr).toBe(`iocp-bench: --output: is the result file itself: the page would replace the result (got "${out}")\n`);
      expect(r.code).toBe(2);
      expect(readFileSync(saved, 'utf8')).toBe(text);
    }
  });

  it('report - -o naming the file stdin is read from, and merge - --report the same', async () => {
    for (const args of [['report', '-', '-o', saved], ['merge', '-', '--report', saved]]) {
      const fd = openSync(saved, 'r');
      try {
        const r = await runProcess(process.execPath, [CLI, ...args], 30_000, { stdin: fd });
        expect(r.stderr).toMatch(/^iocp-bench: --(output|report): is (the result file itself|one of the files being merged): the page would replace/);
        expect(r.code).toBe(2);
      } finally {
        closeSync(fd);
      }
      expect(readFileSync(saved, 'utf8')).toBe(text);
    }
  });

  it('merge --report naming one of the shards', async () => {
    const other = path.join(dir, 'other.json');
    writeFileSync(other, text);
    const r = await runCliProcess(['merge', saved, other, '--report', other]);
    expect(r.stderr).toBe(`iocp-bench: --report: is one of the files being merged: the page would replace that shard's result (got "${other}")\n`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(readFileSync(other, 'utf8')).toBe(text);
  });

  it('flood --report naming its --out file, before the run', async () => {
    const out = path.join(dir, 'samples.ndjson');
    writeFileSync(out, 'kept\n');
    const r = await runCliProcess(['flood', '-c', '1', '-n', '1', '--out', out, '--report', path.join(dir, '.', 'samples.ndjson')]);
    expect(r.stderr).toMatch(/^iocp-bench: --report: is the --out file too: the page would replace the samples \(got ".*samples\.ndjson"\)\n$/);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe('kept\n');
  });

  it('a different file is written as asked', async () => {
    const page = path.join(dir, 'run.html');
    const r = await runCliProcess(['report', saved, '-o', page]);
    expect(r.code).toBe(0);
    expect(readFileSync(page, 'utf8')).toMatch(/^<!DOCTYPE html>/);
    expect(readFileSync(saved, 'utf8')).toBe(text);
  });
});
