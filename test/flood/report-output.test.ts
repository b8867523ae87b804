// `iocp-bench report` without -o writes the page to stdout (`report r.json > r.html` works), except
// on a terminal, where it asks for -o instead of scrolling 70 KB of HTML by; `-` as the result
// reads stdin; a saved log with lines before the result (`flood --json 2>&1`) is read by its last
// JSON line, as merge reads its shards.
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { reportOutput } from '../../src/report/reportAction.js';
import { runCliProcess, runProcess, type ProcessResult } from '../helpers/cli.js';
import { CLI } from '../helpers/serverProcess.js';
import { syntheticResult } from '../helpers/reportFixture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-report-out-'));
const saved = path.join(dir, 'run.json');
writeFileSync(saved, JSON.stringify(syntheticResult()));
/** `iocp-bench report -` with its stdin read from `file` (as `< file` gives it). */
async function reportFromStdin(file: string): Promise<ProcessResult> {
  const fd = openSync(file, 'r');
  try {
    return await runProcess(process.execPath, [CLI, 'report', '-'], 30_000, { stdin: fd });
  } finally {
    closeSync(fd);
  }
}
const PAGE = /^<!DOCTYPE html>[\s\S]*id="verdict" class="verdict pass">PASS<[\s\S]*<\/html>\n?$/;

describe('report output and input', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('without -o, the page goes to stdout when stdout is not a terminal', async () => {
    const r = await runCliProcess(['report', saved]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(PAGE);
  });

  it('without -o on a terminal: a usage error that names -o; -o - or a file name is taken as given', () => {
    expect(() => reportOutput(undefined, true)).toThrow(
      new UsageError('--output: name the HTML file (-o run.html), or redirect stdout: the page is not for a terminal'),
    );
    expect(reportOutput(undefined, false)).toBe('-');
    expect(reportOutput('-', true)).toBe('-');
    expect(reportOutput('run.html', true)).toBe('run.html');
  });

  it('- reads the result from stdin', async () => {
    const r = await reportFromStdin(saved);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(PAGE);
  });

  it('a log with lines before the result is read by its last JSON line; an empty stdin names stdin', async () => {
    const log = path.join(dir, 'run.log');
    writeFileSync(log, `flood: set up\n${JSON.stringify(syntheticResult())}\n`);
    const r = await runCliProcess(['report', log, '-o', '-']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(PAGE);
    const nothing = path.join(dir, 'empty');
    writeFileSync(nothing, '');
    const empty = await reportFromStdin(nothing);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^iocp-bench: stdin: not a flood result \(the output of iocp-bench flood --json\): not JSON \(.+\)\n$/);
  });
});
