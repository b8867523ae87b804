// An output file that stdout or stderr is redirected to (`--report run.json > run.json`) would
// have the page or the samples and the stream write over each other: the result printed there
// lost after a run. `flood --report`, `merge --report` and `--out` (flood and server) naming it are
// usage errors before anything runs, and the file is left as it was.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/serverProcess.js';
import { syntheticResult } from '../helpers/reportFixture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-redirected-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const saved = path.join(dir, 'run.json');
const plan = { connections: 40, total: null, stages: [], rate: 0, msgRate: 0, msgStages: [] };
writeFileSync(saved, `${JSON.stringify({ ...syntheticResult(), shard: { index: 1, count: 1, plan } })}\n`);

/**
 * The command with `stream` appended to `file` (as `>>` or `2>>` would; the file holds 'kept'
 * before): the code it exits with and what it wrote on the other stream.
 */
function redirected(args: string[], stream: 'stdout' | 'stderr', file: string): Promise<{ code: number | null; other: string }> {
  writeFileSync(file, 'kept\n');
  const fd = openSync(file, 'a');
  try {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', stream === 'stdout' ? fd : 'pipe', stream === 'stderr' ? fd : 'pipe'] });
    const pipe = (stream === 'stdout' ? child.stderr : child.stdout)!;
    let other = '';
    pipe.setEncoding('utf8').on('data', (d: string) => (other += d));
    const limit = setTimeout(() => child.kill('SIGKILL'), 60_000);
    return new Promise((resolve) => {
      child.once('close', (code) => {
        clearTimeout(limit);
        resolve({ code, other });
      });
    });
  } finally {
    closeSync(fd); // the child has its own copy
  }
}

describe('an output file that stdout or stderr is redirected to', () => {
  it('flood --report, where stdout goes', async () => {
    const file = path.join(dir, 'flood.json');
    const r = await redirected(['flood', '-c', '1', '-n', '1', '--json', '--report', file], 'stdout', file);
    expect(r.code).toBe(2);
    // With --json the error is the ERROR result on stdout: appended after what the file held.
    const [kept, error, ...rest] = readFileSync(file, 'utf8').split('\n');
    expect([kept, rest]).toEqual(['kept', ['']]);
    expect(JSON.parse(error!)).toMatchObject({
      verdict: 'ERROR',
      reasons: [`--report: is where stdout is redirected: the page and stdout would write over each other (got "${file}")`],
    });
  });

  it('merge --report, where stdout goes', async () => {
    const file = path.join(dir, 'merged.json');
    const r = await redirected(['merge', saved, '--report', file], 'stdout', file);
    expect(r.other).toBe(`iocp-bench: --report: is where stdout is redirected: the page and stdout would write over each other (got "${file}")\n`);
    expect(r.code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('kept\n');
  });

  it('flood --out, where stderr goes', async () => {
    const file = path.join(dir, 'samples.ndjson');
    const r = await redirected(['flood', '-c', '1', '-n', '1', '--out', file], 'stderr', file);
    expect(r.code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('kept\niocp-bench: --out: is where stderr is redirected: the samples and stderr would write over each other (got "' + file + '")\n');
  });

  it('server --out, where stdout goes: refused before it listens', async () => {
    const file = path.join(dir, 'server.ndjson');
    const r = await redirected(['server', '--port', '0', '--out', file], 'stdout', file);
    expect(r.other).toBe(`iocp-bench: --out: is where stdout is redirected: the samples and stdout would write over each other (got "${file}")\n`);
    expect(r.code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('kept\n');
  });

  it('another file is written as asked', async () => {
    const file = path.join(dir, 'other.json');
    const page = path.join(dir, 'page.html');
    const r = await redirected(['merge', saved, '--json', '--report', page], 'stdout', file);
    expect(r.code).toBe(0);
    expect(readFileSync(page, 'utf8')).toMatch(/^<!DOCTYPE html>/);
    expect(readFileSync(file, 'utf8')).toMatch(/^kept\n\{/);
  });
});
