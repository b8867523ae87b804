// --out FILE.csv: a header of flat dotted column names and one row per sample, every row with
// the header's columns (the open loop's and the server's columns are there, empty when null).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('writes a CSV with the same columns in every row', async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'iocp-out-'));
  const file = path.join(dir, 'samples.csv');
  const { code, stdout, stderr } = await runCliProcess(
    ['flood', '-d', '1500ms', '-c', '20', '--workers', '2', '--interval', '500ms', '--out', file, '--no-progress'],
    60_000,
  );
  expect(code, stderr).toBe(0);
  expect(stdout).toContain('PASS');
  const [header, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => l.split(','));
  expect(header!.slice(0, 4)).toEqual(['time', 'elapsedMs', 'intervalMs', 'connections.opened']);
  for (const col of ['roundTripUs.p50', 'roundTripUs.p99', 'serviceTimeUs.p99', 'messages.verified', 'faults.lost', 'errors.reset', 'server.live', 'server.rssBytes'])
    expect(header).toContain(col);
  expect(new Set(header).size).toBe(header!.length);
  expect(rows.length).toBeGreaterThanOrEqual(3);
  const col = (row: string[], name: string) => row[header!.indexOf(name)]!;
  let elapsed = 0;
  for (const row of rows) {
    expect(row).toHaveLength(header!.length);
    // Closed loop: no service time; every other cell is a number, but the round-trip latencies of
    // an interval in which none completed (a wind-down), which are empty beside their count of 0.
    expect(col(row, 'serviceTimeUs.p99')).toBe('');
    const noRoundTrips = col(row, 'roundTripUs.count') === '0';
    for (const [i, cell] of row.entries()) {
      const name = header![i]!;
      if (name.startsWith('serviceTimeUs.')) continue;
      expect(cell, name).toMatch(noRoundTrips && name.startsWith('roundTripUs.') && name !== 'roundTripUs.count' ? /^$/ : /^\d+$/);
    }
    expect(Number(col(row, 'elapsedMs')) - Number(col(row, 'intervalMs'))).toBe(elapsed);
    elapsed = Number(col(row, 'elapsedMs'));
  }
  expect(rows.reduce((a, r) => a + Number(col(r, 'messages.verified')), 0)).toBeGreaterThan(0);
}, 90_000);
