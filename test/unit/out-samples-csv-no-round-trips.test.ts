// An interval in which no round trip completed (a server that stopped echoing) has no latency: in
// a CSV (--out FILE.csv) its latency cells are empty, its count 0, so that a plot of p99 has a gap
// there, not a drop to 0 (the fastest interval of the run, while the server was frozen).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newHistogram } from '../../src/client/run/floodCounters.js';
import { floodSampleColumns, intervalLatency } from '../../src/client/run/intervals.js';
import type { IntervalSample } from '../../src/client/verdict/samples.js';
import { openSampleOut } from '../../src/sampleOut.js';
import { syntheticResult } from '../helpers/reportFixture.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Three intervals of an open-loop run; the server froze through the second. */
function samples(): IntervalSample[] {
  const s = syntheticResult({ samples: 3, openLoop: true }).samples;
  const frozen = intervalLatency(newHistogram());
  s[1] = { ...s[1]!, roundTripUs: frozen, serviceTimeUs: frozen, messages: { sent: 900, verified: 0, perSec: 0 } };
  return s;
}

function writtenCsv(): string {
  dir = mkdtempSync(path.join(tmpdir(), 'iocp-out-'));
  const file = path.join(dir, 'samples.csv');
  const out = openSampleOut('--out', file, floodSampleColumns());
  for (const s of samples()) out.write(s);
  out.close();
  return readFileSync(file, 'utf8');
}

describe('--out, an interval without round trips', () => {
  it('CSV: its latency cells are empty, its count 0; the other rows and cells hold numbers', () => {
    const [header, ...rows] = writtenCsv().trimEnd().split('\n').map((l) => l.split(','));
    const cell = (row: number, name: string) => rows[row]![header!.indexOf(name)];
    expect(rows).toHaveLength(3);
    for (const group of ['roundTripUs', 'serviceTimeUs']) {
      expect(cell(1, `${group}.count`)).toBe('0');
      for (const p of ['p50', 'p90', 'p99', 'max']) {
        expect(cell(1, `${group}.${p}`), `${group}.${p}`).toBe('');
        for (const row of [0, 2]) expect(cell(row, `${group}.${p}`)).toMatch(/^[1-9]\d*$/);
      }
    }
    // Counts that are 0 stay 0: only a summary of nothing is empty.
    expect(cell(1, 'messages.verified')).toBe('0');
    expect(cell(1, 'faults.total')).toBe('0');
    for (const [i, name] of header!.entries()) if (!/^(roundTripUs|serviceTimeUs)\.(p|max)/.test(name)) expect(rows[1]![i], name).toMatch(/^\d+$/);
  });
});
