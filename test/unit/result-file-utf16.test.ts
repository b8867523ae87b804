// Windows PowerShell 5.1's `>` writes UTF-16 with a byte-order mark: `iocp-bench flood --json >
// run.json` there makes a file that `report` and `merge` read as they read UTF-8 (with or without
// its mark), not one refused as "not JSON" or as holding no result.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMergeCommand } from '../../src/client/merge/mergeAction.js';
import { runReportCommand } from '../../src/report/reportAction.js';
import { captureOutput } from '../helpers/captureOutput.js';
import { syntheticResult } from '../helpers/reportFixture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-utf16-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const plan = { connections: 40, total: null, stages: [], rate: 0, msgRate: 0, msgStages: [] };
// A log line before the result, as `flood --json 2>&1` leaves one, and the line end PowerShell writes.
const text = `flood: a line on stderr\r\n${JSON.stringify({ ...syntheticResult(), shard: { index: 1, count: 1, plan } })}\r\n`;

const swap16 = (b: Buffer) => Buffer.from(b).swap16();
const ENCODINGS: [string, Buffer][] = [
  ['UTF-16LE with its mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
  ['UTF-16BE with its mark', Buffer.concat([Buffer.from([0xfe, 0xff]), swap16(Buffer.from(text, 'utf16le'))])],
  ['UTF-8 with its mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
];

describe('a result saved in UTF-16', () => {
  it.each(ENCODINGS)('%s: report renders it and merge merges it', async (name, bytes) => {
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.json`);
    writeFileSync(file, bytes);
    const page = `${file}.html`;
    runReportCommand(file, page, false);
    expect(readFileSync(page, 'utf8')).toMatch(/^<!DOCTYPE html>/);

    const out = captureOutput();
    let code: number;
    try {
      code = await runMergeCommand([file], { json: true, cliRun: { ownsProcess: false, exitCode: 0 } });
    } finally {
      out.restore();
    }
    expect(code).toBe(0);
    expect(JSON.parse(out.stdout()).merge.shards).toHaveLength(1);
  });
});
