// Three shards (--shard 1/3, 2/3, 3/3) against one server, merged with `iocp-bench merge`, equal
// the unsharded run with the same seed: every per-mode count and the connection totals; the merged
// round-trip histogram holds exactly the shards' round trips. A set with a shard missing, given
// twice, or run with another seed fails the merge and says why.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import hdr from 'hdr-histogram-js';
import { afterAll, describe, expect, it } from 'vitest';
import { shardInterval } from '../../src/client/merge/mergeResults.js';
import { runCliProcess } from '../helpers/cli.js';
import { useServerProcess } from '../helpers/serverProcess.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-shards-'));
const decode = (encoded: string) => hdr.decodeFromCompressedBase64(encoded, 32, false);
const count = (encoded: string) => decode(encoded).totalCount;
type Sample = { time: number; elapsedMs: number; intervalMs: number; roundTripUs: { count: number; p50: number; p90: number; p99: number; max: number } };

describe('sharded flood, merged', () => {
  const server = useServerProcess([]);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const plan = (seed: number) => ['-c', '60', '-n', '600', '--seed', String(seed), '--messages', '1-6', '--size', '16-2048', '--json', '--no-progress'];

  /** Runs shard i/3 (0: unsharded) and writes its result to a file; returns the file and the result. */
  async function run(i: number, seed = 11, extra: string[] = []): Promise<{ file: string; result: any }> {
    const r = await runCliProcess(['flood', `127.0.0.1:${server().port}`, ...plan(seed), ...(i ? ['--shard', `${i}/3`] : []), ...extra], 60_000);
    expect(r.code, r.stderr).toBe(0);
    const file = path.join(dir, `shard-${i}-${seed}.json`);
    writeFileSync(file, r.stdout);
    return { file, result: JSON.parse(r.stdout) };
  }

  async function merge(files: string[], extra: string[] = []) {
    const r = await runCliProcess(['merge', ...files, '--json', ...extra], 60_000);
    return { code: r.code, stderr: r.stderr, result: JSON.parse(r.stdout) };
  }

  it('equals the unsharded run in every per-mode count, and the histograms add up exactly', async () => {
    const whole = await run(0);
    // Time for all three to set up, even on a loaded machine: a shard that started after another
    // had ended would fail the merge (merge-shards-apart.test.ts).
    const start = ['--start-at', new Date(Date.now() + 4000).toISOString()];
    const shards = await Promise.all([1, 2, 3].map((i) => run(i, 11, start)));
    const m = await merge(shards.map((s) => s.file), ['--stats', server().statsUrl]);
    expect(m.code, JSON.stringify(m.result.reasons)).toBe(0);
    expect(m.result.verdict).toBe('PASS');
    expect(m.result.merge.problems).toEqual([]);
    expect(m.result.connections.byMode).toEqual(whole.result.connections.byMode);
    for (const k of ['started', 'connected', 'ok', 'faulted', 'errored', 'aborted'])
      expect([k, m.result.connections[k]]).toEqual([k, whole.result.connections[k]]);
    expect(m.result.connections.started).toBe(600);
    expect(m.result.options.connections).toBe(60);
    expect(m.result.options.total).toBe(600);
    const shardRtt = shards.map((s) => count(s.result.histograms.roundTrip));
    expect(shardRtt.every((n) => n > 0)).toBe(true);
    expect(count(m.result.histograms.roundTrip)).toBe(shardRtt[0]! + shardRtt[1]! + shardRtt[2]!);
    expect(m.result.latencyUs.roundTrip.count).toBe(shardRtt[0]! + shardRtt[1]! + shardRtt[2]!);
    expect(count(m.result.histograms.connect)).toBe(shards.reduce((s, x) => s + count(x.result.histograms.connect), 0));
    expect(m.result.leak.status).toBe('clean');
    // The shards did not know the target's backend; its stats, read by the merge, do.
    expect(shards[0]!.result.target.backend).toBeNull();
    expect(m.result.target.backend).toBe(m.result.leak.after.backend);
    expect(m.result.merge.shards.map((s: { index: number }) => s.index)).toEqual([1, 2, 3]);
    // The shards' interval samples, lined up by wall time, hold every verified message once.
    const sampled = (r: { samples: Array<{ messages: { verified: number } }> }) => r.samples.reduce((a, x) => a + x.messages.verified, 0);
    expect(m.result.samples.length).toBeGreaterThan(0);
    expect(sampled(m.result)).toBe(m.result.messages.verified);
    expect(m.result.messages.verified).toBe(shards.reduce((a, x) => a + x.result.messages.verified, 0));
    // Each shard keeps its intervals' histograms, one per sample (the unsharded run does not), and
    // a merged interval's percentiles are those of its shards' round trips added, not an estimate.
    expect(whole.result.intervalHistograms).toBeNull();
    // A shard's sample belongs to the merged interval it covers most, on the shard's clock
    // shifted by the whole intervals it started after the first shard.
    const every = m.result.intervalMs;
    const startOf = (r: { samples: Sample[] }) => r.samples[0]!.time - r.samples[0]!.elapsedMs;
    const t0 = Math.min(...shards.map((s) => startOf(s.result)));
    const byBucket = new Map<number, ReturnType<typeof decode>[]>();
    for (const s of shards) {
      expect(s.result.intervalHistograms).toHaveLength(s.result.samples.length);
      const offset = Math.round((startOf(s.result) - t0) / every);
      s.result.samples.forEach((x: Sample, i: number) => {
        const h = decode(s.result.intervalHistograms[i].roundTrip);
        expect(h.totalCount).toBe(x.roundTripUs.count);
        const key = offset + shardInterval(x.elapsedMs, x.intervalMs, every);
        byBucket.set(key, [...(byBucket.get(key) ?? []), h]);
      });
    }
    expect(m.result.intervalHistograms).toHaveLength(m.result.samples.length);
    const keys = [...byBucket.keys()].sort((a, b) => a - b);
    expect(keys).toHaveLength(m.result.samples.length);
    for (const [k, x] of (m.result.samples as Sample[]).entries()) {
      const added = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3600e6, numberOfSignificantValueDigits: 3, useWebAssembly: false });
      for (const h of byBucket.get(keys[k]!)!) added.add(h);
      expect(x.roundTripUs).toEqual(
        added.totalCount === 0
          ? { count: 0, p50: 0, p90: 0, p99: 0, max: 0 }
          : { count: added.totalCount, p50: added.getValueAtPercentile(50), p90: added.getValueAtPercentile(90), p99: added.getValueAtPercentile(99), max: added.maxValue },
      );
    }
    // --report writes the merged run's HTML report beside the JSON.
    const html = path.join(dir, 'merged.html');
    const withReport = await merge(shards.map((s) => s.file), ['--report', html]);
    expect(withReport.code, withReport.stderr).toBe(0);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>[\s\S]*PASS/i);

    const dropped = await merge([shards[0]!.file, shards[2]!.file]);
    expect(dropped.code).toBe(1);
    expect(dropped.result.reasons).toEqual(['shard 2/3 is missing']);
    const twice = await merge([shards[0]!.file, shards[1]!.file, shards[1]!.file, shards[2]!.file]);
    expect(twice.code).toBe(1);
    expect(twice.result.reasons).toEqual([`shard 2/3 is given 2 times (${shards[1]!.file}, ${shards[1]!.file})`]);
    const other = await run(3, 12);
    const seeds = await merge([shards[0]!.file, shards[1]!.file, other.file]);
    expect(seeds.code).toBe(1);
    // Run after the others had ended, it did not run with them either (merge-shards-apart.test.ts).
    expect(seeds.result.reasons).toEqual([
      `the shards ran different seeds: 11 (${shards[0]!.file}), 12 (${other.file})`,
      expect.stringMatching(new RegExp(`^${other.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} started [\\d.]+ s after .*: the shards did not run together`)),
    ]);
  });

  it('refuses a file that holds no result, with one line', async () => {
    const junk = path.join(dir, 'junk.json');
    writeFileSync(junk, 'not json\n');
    const r = await runCliProcess(['merge', junk]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`iocp-bench: merge: ${junk} holds no JSON result (the output of flood --json)`);
  });
});
