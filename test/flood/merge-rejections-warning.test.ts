// The flood warns of connections the server reset on arrival (its session or descriptor limit)
// from its own readings before and after the run; merge has only one from after, so it warns of
// the server's rejections since it started, and says how long before the first shard that was
// (a server left running across runs counts earlier runs' too). Their resets are network errors,
// which do not fail a run: without the warning a merged run PASSed with half its connections reset.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergedRejections } from '../../src/client/merge/mergeAction.js';
import { runCliProcess } from '../helpers/cli.js';
import { useServerProcess } from '../helpers/serverProcess.js';
import type { ServerStats } from '../../src/server/types.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-merge-rejections-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('merge --stats of a server that rejected connections', () => {
  const server = useServerProcess(['--max-sessions', '4']);
  const files: string[] = [];

  beforeAll(async () => {
    const at = new Date(Date.now() + 4000).toISOString();
    const runs = await Promise.all(
      [1, 2].map((i) =>
        runCliProcess(['flood', `127.0.0.1:${server().port}`, '-c', '20', '-n', '40', '--hold', '300ms', '--shard', `${i}/2`, '--seed', '3', '--start-at', at, '--json', '--no-progress'], 60_000),
      ),
    );
    runs.forEach((r, i) => {
      const file = path.join(dir, `s${i + 1}.json`);
      writeFileSync(file, r.stdout);
      files.push(file);
    });
  });

  it('warns with the count the server gives, and that it started before the first shard', async () => {
    const r = await runCliProcess(['merge', ...files, '--stats', server().statsUrl, '--json'], 60_000);
    const m = JSON.parse(r.stdout);
    const rejected = (await server().stats()).sessions.rejected;
    expect(rejected).toBeGreaterThan(0);
    expect(m.leak.status).toBe('clean');
    expect(m.errors.reset).toBeGreaterThan(0);
    const warning = m.warnings.find((w: string) => w.startsWith('the server has rejected'));
    expect(warning).toMatch(new RegExp(`^the server has rejected ${rejected} connection\\(s\\) at its session or descriptor limit since it started, \\d+\\.\\d s before the first shard began \\(`));
  });
});

describe('mergedRejections', () => {
  const after = (rejected: number, uptimeMs: number) => ({ uptimeMs, sessions: { rejected } }) as unknown as ServerStats;

  it('none rejected: no warning', () => {
    expect(mergedRejections(after(0, 60_000), 100_000, 50_000)).toBeNull();
  });

  it('a server started with the run (under a second before the first shard): the count alone', () => {
    expect(mergedRejections(after(7, 60_500), 100_000, 40_000)).toBe(
      'the server has rejected 7 connection(s) at its session or descriptor limit since it started: reset on arrival, they count among the network errors',
    );
  });

  it('a server started long before: how long before the first shard', () => {
    expect(mergedRejections(after(7, 3_600_000), 3_700_000, 3_000_000)).toMatch(/since it started, 48 min 20 s before the first shard began \(rejections of anything it served before are among them\)/);
  });

  it('no shard start known: the count alone', () => {
    expect(mergedRejections(after(2, 3_600_000), 3_700_000, null)).toMatch(/since it started: reset on arrival/);
  });
});
