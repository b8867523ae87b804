// A result file that is malformed inside (a sample without its latency, a mode missing from the
// per-mode counts, a histogram that does not decode, a count that is not a number, a shard count
// beyond --shard's range, a start time that is no time...) is refused by
// `report` and `merge` alike with one line naming the file and what is wrong: a usage error (exit
// 2), never a JavaScript TypeError or a decoder's message with no file in it, and no report
// written. The same result, intact, renders and merges.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMergeCommand } from '../../src/client/merge/mergeAction.js';
import { encodeHistogram, newHistogram } from '../../src/client/run/floodCounters.js';
import { UsageError } from '../../src/errors.js';
import { runReportCommand } from '../../src/report/reportAction.js';
import { captureOutput } from '../helpers/captureOutput.js';
import { syntheticResult } from '../helpers/reportFixture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-malformed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Json = Record<string, any>;

/** A shard 1/1 with its interval histograms: every part of a result that report or merge reads. */
function shard(): Json {
  const r = syntheticResult({ samples: 4, openLoop: true }) as unknown as Json;
  const plan = { connections: 40, total: null, stages: [], rate: 0, msgRate: 20_000, msgStages: [] };
  const h = () => {
    const x = newHistogram();
    x.recordValue(250);
    return encodeHistogram(x);
  };
  return { ...r, shard: { index: 1, count: 1, plan }, intervalHistograms: r.samples.map(() => ({ roundTrip: h(), serviceTime: h() })) };
}

const write = (name: string, value: unknown) => {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
};

/** Runs merge on `file` quietly: its exit code (0 or 1), or the error it throws. */
async function merge(file: string): Promise<number> {
  const cliRun = { ownsProcess: false, exitCode: 0 };
  const out = captureOutput();
  try {
    return await runMergeCommand([file], { json: true, cliRun });
  } finally {
    out.restore();
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const CASES: [string, (r: Json) => void, string][] = [
  ['a sample without its round-trip latency', (r) => delete r.samples[1].roundTripUs, 'samples[1].roundTripUs'],
  ['a sample that is null', (r) => (r.samples[0] = null), 'samples[0]'],
  ['a sample whose latency has no count', (r) => delete r.samples[2].serviceTimeUs.count, 'samples[2].serviceTimeUs.count'],
  ['a mode missing from the per-mode counts', (r) => delete r.connections.byMode.graceful, 'connections.byMode.graceful'],
  ['a count that is a string', (r) => (r.connections.started = '160'), 'connections.started'],
  ['the run without its latency summary', (r) => delete r.latencyUs.roundTrip, 'latencyUs.roundTrip'],
  ['options without the disconnect mix', (r) => delete r.options.mix, 'options.mix'],
  ["the server's counters without bytes", (r) => delete r.leak.after.bytes, 'leak.after.bytes'],
  ['a shard without its plan', (r) => delete r.shard.plan, 'shard.plan'],
  ['no shard field at all (not even null)', (r) => delete r.shard, 'shard'],
  ['a shard count far beyond what --shard allows', (r) => (r.shard.count = 1e9), 'shard.count'],
  ['a shard count that is not whole', (r) => (r.shard.count = 1.5), 'shard.count'],
  ['a shard index of 0', (r) => (r.shard.index = 0), 'shard.index'],
  ['a shard index beyond the shard count', (r) => (r.shard.index = 2), 'shard.index'],
  ['a start time that is no time', (r) => (r.startAt = { at: 'x', offsetMs: 0 }), 'startAt.at'],
  ['a histogram that is not base64', (r) => (r.histograms.roundTrip = 'abc'), 'histograms.roundTrip'],
  ['a histogram in an encoding it is not', (r) => (r.histograms.roundTrip = `AAAA${r.histograms.roundTrip.slice(4)}`), 'histograms.roundTrip'],
  ['a histogram that is a number', (r) => (r.histograms.connect = 7), 'histograms.connect'],
  ['an interval histogram that does not decode', (r) => (r.intervalHistograms[2].serviceTime = 'SGVsbG8='), 'intervalHistograms[2].serviceTime'],
];

describe('a malformed result file', () => {
  it('intact, it renders and merges', async () => {
    const file = write('intact.json', shard());
    const out = path.join(dir, 'intact.html');
    runReportCommand(file, out, false);
    expect(existsSync(out)).toBe(true);
    expect(await merge(file)).toBe(0);
  });

  it.each(CASES)('%s: report and merge refuse it in one line naming the file and the field', async (name, spoil, what) => {
    const r = shard();
    spoil(r);
    const file = write(`${name.replace(/\W+/g, '-')}.json`, r);
    const line = new RegExp(`^${escape(file)}: not a flood result \\(the output of iocp-bench flood --json\\): missing or malformed ${escape(what)}( \\([^\\n]+\\))?$`);

    const out = path.join(dir, `${name.replace(/\W+/g, '-')}.html`);
    let reportErr: unknown = null;
    try {
      runReportCommand(file, out, false);
    } catch (err) {
      reportErr = err;
    }
    expect(reportErr).toBeInstanceOf(UsageError);
    expect((reportErr as Error).message).toMatch(line);
    expect(existsSync(out)).toBe(false);

    let mergeErr: unknown = null;
    try {
      await merge(file);
    } catch (err) {
      mergeErr = err;
    }
    expect(mergeErr).toBeInstanceOf(UsageError);
    expect((mergeErr as Error).message).toMatch(line);
  });

  it('many bad fields: the first few, and how many more', async () => {
    const r = shard();
    for (const s of r.samples) delete s.roundTripUs;
    const file = write('many.json', r);
    await expect(merge(file)).rejects.toThrow(
      `${file}: not a flood result (the output of iocp-bench flood --json): missing or malformed samples[0].roundTripUs, samples[1].roundTripUs, samples[2].roundTripUs and 1 more`,
    );
  });
});
