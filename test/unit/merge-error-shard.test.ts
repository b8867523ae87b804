// A shard's file that holds the flood's ERROR object (a flood that did not run: here --shard 3/3
// with fewer connections than shards) stops the merge with one line naming the file and the cause,
// as `iocp-bench report` names it for the same file, not just "not a flood result". A usage error:
// exit 2 (and, with --json, an ERROR object whose code is the merge's E_USAGE).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMergeCommand } from '../../src/client/merge/mergeAction.js';
import { runFlood } from '../../src/client/flood.js';
import { errorJsonLine, UsageError } from '../../src/errors.js';
import { readResultFile } from '../../src/report/readResult.js';
import { syntheticResult } from '../helpers/reportFixture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-merge-error-shard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

  it('names the file and why that flood did not run, as the report does', async () => {
    expect(cause).toMatch(/^--shard: 3 shards need at least 3 connections/);
    const merged = runMergeCommand([goodShard(), errFile], {});
    await expect(merged).rejects.toThrow(UsageError);
    await expect(merged).rejects.toMatchObject({ message: `${errFile}: holds a flood that did not run (${cause}), nothing to merge`, code: 'E_USAGE' });
    // The report names the same cause, the same way.
    expect(() => readResultFile(errFile)).toThrow(`${errFile}: holds a flood that did not run (${cause}), nothing to report`);
  });
});
