// An output file that stdout or stderr is redirected to (`--report run.json > run.json`) would
// have the page or the samples and the stream write over each other: the result printed there
// lost after a run. `flood --report`, `merge --report` and `--out` (flood and server) naming it are
// usage errors before anything runs, and the file is left as it was.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess } from '../helpers/cli.js';
import { CLI } from '../helpers/serverProcess.js';
import { syntheticResult } from '../helpers/reportFixture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-redirected-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const saved = path.join(dir, 'run.json');
const plan = { connections: 40, total: null, stages: [], rate: 0, msgRate: 0, msgStages: [] };
writeFileSync(saved, `${JSON.stringify({ ...syntheticResult(), shard: { index: 1, count: 1, plan } })}\n`);

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** The command line run by sh with `redirect` (`>>` or `2>>`) to `file`, which holds 'kept' before. */
async function redirected(args: string[], redirect: '>>' | '2>>', file: string) {
  writeFileSync(file, 'kept\n');
  const line = [process.execPath, CLI, ...args].map(quote).join(' ');
  return runProcess('sh', ['-c', `${line} ${redirect} ${quote(file)}`], 60_000);
}

describe('an output file that stdout or stderr is redirected to', () => {
  it('flood --report, where stdout goes', async () => {
    const file = path.join(dir, 'flood.json');
    const r = await redirected(['flood', '-c', '1', '-n', '1', '--json', '--report', file], '>>', file);
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
    const r = await redirected(['merge', saved, '--report', file], '>>', file);
    expect(r.stderr).toBe(`iocp-bench: --report: is where stdout is redirected: the page and stdout would write over each other (got "${file}")\n`);
    expect(r.code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('kept\n');
  });

  it('flood --out, where stderr goes', async () => {
    const file = path.join(dir, 'samples.ndjson');
    const r = await redirected(['flood', '-c', '1', '-n', '1', '--out', file], '2>>', file);
    expect(r.code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('kept\niocp-bench: --out: is where stderr is redirected: the samples and stderr would write over each other (got "' + file + '")\n');
  });

  it('server --out, where stdout goes: refused before it listens', async () => {
    const file = path.join(dir, 'server.ndjson');
    const r = await redirected(['server', '--port', '0', '--out', file], '>>', file);
    expect(r.stderr).toBe(`iocp-bench: --out: is where stdout is redirected: the samples and stdout would write over each other (got "${file}")\n`);
    expect(r.code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('kept\n');
  });

  it('another file is written as asked', async () => {
    const file = path.join(dir, 'other.json');
    const page = path.join(dir, 'page.html');
    const r = await redirected(['merge', saved, '--json', '--report', page], '>>', file);
    expect(r.code).toBe(0);
    expect(readFileSync(page, 'utf8')).toMatch(/^<!DOCTYPE html>/);
    expect(readFileSync(file, 'utf8')).toMatch(/^kept\n\{/);
  });
});
