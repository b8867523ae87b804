// `iocp-bench report RESULT.json -o FILE.html`: renders a saved result (without -o: report-output.test.ts); anything that is not a
// flood result (no file, not JSON, another JSON, a flood that errored) is one line on stderr and
// exit 2, with no file written; `flood --report` into a directory that does not exist fails
// before the flood runs.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { syntheticResult } from '../helpers/reportFixture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-report-cli-'));
const file = (name: string, content?: string) => {
  const p = path.join(dir, name);
  if (content !== undefined) writeFileSync(p, content);
  return p;
};

describe('iocp-bench report', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders a saved result into the file named', async () => {
    const out = file('ok.html');
    const r = await runCliProcess(['report', file('ok.json', JSON.stringify(syntheticResult())), '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!DOCTYPE html>[\s\S]*id="verdict" class="verdict pass">PASS</);
  });

  const notResult = syntheticResult() as unknown as Record<string, unknown>;
  delete notResult.samples;
  it.each([
    ['a missing file', () => file('missing.json'), /^iocp-bench: \S+missing\.json: cannot read it \(no such file\)$/],
    ['a file that is not JSON', () => file('text.json', 'PASS\n'), /^iocp-bench: \S+text\.json: not a flood result \(the output of iocp-bench flood --json\): not JSON \(.+\)$/],
    ['JSON that is not a result', () => file('other.json', '{"name":"iocp-bench"}'), /: not a flood result \(the output of iocp-bench flood --json\): no PASS or FAIL verdict$/],
    ['a result without its samples', () => file('nosamples.json', JSON.stringify(notResult)), /: not a flood result \(the output of iocp-bench flood --json\): missing or malformed samples$/],
    [
      "a flood's error object",
      () => file('error.json', '{"verdict":"ERROR","reasons":["--connections: must be a whole number"],"error":{"code":"E_USAGE"}}'),
      /: holds a flood that did not run \(--connections: must be a whole number\), nothing to report$/,
    ],
  ])('%s: one line, exit 2, no report', async (_name, input, message) => {
    const out = file(`${_name.replace(/\W+/g, '-')}.html`);
    const r = await runCliProcess(['report', input(), '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });


  it('into a directory that does not exist: a usage error', async () => {
    const r = await runCliProcess(['report', file('ok3.json', JSON.stringify(syntheticResult())), '-o', path.join(dir, 'nope', 'r.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^iocp-bench: --output: no such directory: \S+nope \(got "\S+r\.html"\)\n$/);
  });

  it('flood --report into a missing directory fails before the flood runs', async () => {
    const r = await runCliProcess(['flood', '-n', '1', '--report', path.join(dir, 'nope', 'r.html'), '--no-progress']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^iocp-bench: --report: no such directory: /);
  });
});
