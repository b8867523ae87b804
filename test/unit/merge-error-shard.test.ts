// A shard's file that holds the flood's ERROR object (a flood that did not run: here --shard 3/3
// with fewer connections than shards) is named with its cause, as `iocp-bench report` names it for
// the same file, not just "not a flood result". Beside shards that ran, it fails their merge, which
// still comes out (FAIL, exit 1: the file not merged, its shard missing); it stopped the whole
// merge before. Alone, there is nothing to merge: a usage error, exit 2 (with --json, an ERROR
// object whose code is the merge's E_USAGE).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runMergeCommand } from '../../src/client/merge/mergeAction.js';
import { runFlood } from '../../src/client/flood.js';
import { errorJsonLine, UsageError } from '../../src/errors.js';
import { readResultFile } from '../../src/report/readResult.js';
import { captureOutput } from '../helpers/captureOutput.js';
import { syntheticResult } from '../helpers/reportFixture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-merge-error-shard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** What `flood --json` prints for a flood whose options it refused, and the refusal's message. */
function errorObject(): { line: string; cause: string } {
  try {
    runFlood({ target: '127.0.0.1:9', connections: 2, total: 2, seed: 7, shard: { index: 3, count: 3 } });
  } catch (err) {
    return { line: errorJsonLine(err), cause: (err as Error).message };
  }
  throw new Error('the flood did not refuse its options');
}

/** A valid shard 1/3, to merge beside the one that did not run. */
function goodShard(): string {
  const plan = { connections: 40, total: null, stages: [], rate: 0, msgRate: 0, msgStages: [] };
  const file = path.join(dir, 'z1.json');
  writeFileSync(file, JSON.stringify({ ...syntheticResult({ samples: 2 }), shard: { index: 1, count: 3, plan } }));
  return file;
}

describe('merge of a shard that did not run', () => {
  const { line, cause } = errorObject();
  const errFile = path.join(dir, 'z3.json');
  // As `kubectl logs` captures it: a stderr line, then the ERROR object.
  writeFileSync(errFile, `iocp-bench: ${cause}\n${line}`);

  it('beside a shard that ran: merged without it, FAIL naming the file and why, exit 1', async () => {
    expect(cause).toMatch(/^--shard: 3 shards need at least 3 connections/);
    const output = captureOutput();
    const code = await runMergeCommand([goodShard(), errFile], { json: true, cliRun: { ownsProcess: false, exitCode: 0 } });
    expect(code).toBe(1);
    const m = JSON.parse(output.stdout());
    expect(m.verdict).toBe('FAIL');
    expect(m.merge.shards.map((s: { file: string }) => s.file)).toEqual([path.join(dir, 'z1.json')]);
    expect(m.merge.problems).toEqual([`${errFile}: holds a flood that did not run (${cause}): not merged`, 'shard 2/3 is missing', 'shard 3/3 is missing']);
    expect(m.reasons[0]).toBe(m.merge.problems[0]);
  });

  it('alone: nothing to merge, the usage error naming the file and why, as the report does', async () => {
    const merged = runMergeCommand([errFile], {});
    await expect(merged).rejects.toThrow(UsageError);
    await expect(merged).rejects.toMatchObject({ message: `${errFile}: holds a flood that did not run (${cause}), nothing to merge`, code: 'E_USAGE' });
    // The report names the same cause, the same way.
    expect(() => readResultFile(errFile)).toThrow(`${errFile}: holds a flood that did not run (${cause}), nothing to report`);
  });
});
