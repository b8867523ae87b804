// `merge --stats` refuses counters that are not the target's, as the flood does
// (stats-of-another-server.test.ts): the shards flood server A; another server B on this machine
// listens on another port, and its counters (which saw none of the flood) would call the leak
// check clean. The merge says so instead (leak status `error`, verdict FAIL, exit 1) and does not
// take B's backend for the target's. Counters relabelled with A's port but that did not see the
// connections that reached A are refused once the settle wait runs out. A's own stats, for
// contrast, come out clean.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { serveStats } from '../helpers/floodStatsServer.js';
import { useServerProcess } from '../helpers/serverProcess.js';
import type { ServerStats } from '../../src/server/types.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-merge-foreign-'));

describe('merge --stats of another server', () => {
  const target = useServerProcess([]);
  const other = useServerProcess([]);
  const files: string[] = [];
  let connected = 0;

  beforeAll(async () => {
    // One start time for the three shards, with time for each to set up on a loaded machine.
    const at = new Date(Date.now() + 4000).toISOString();
    const runs = await Promise.all(
      [1, 2, 3].map((i) =>
        runCliProcess(['flood', `127.0.0.1:${target().port}`, '-c', '30', '-n', '300', '--shard', `${i}/3`, '--seed', '7', '--start-at', at, '--json', '--no-progress'], 60_000),
      ),
    );
    runs.forEach((r, i) => {
      expect(r.code, r.stderr).toBe(0);
      const file = path.join(dir, `s${i + 1}.json`);
      writeFileSync(file, r.stdout);
      files.push(file);
      connected += (JSON.parse(r.stdout) as { connections: { connected: number } }).connections.connected;
    });
    expect(connected).toBeGreaterThan(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const merge = async (stats: string, json = true) => {
    const r = await runCliProcess(['merge', ...files, '--stats', stats, '--assert', 'leaks==0', ...(json ? ['--json'] : [])], 60_000);
    return { ...r, result: json ? JSON.parse(r.stdout) : null };
  };

  it('a server on another port: leak check error at once, FAIL, and not its backend', async () => {
    const m = await merge(other().statsUrl);
    expect(m.code, m.stderr).toBe(1);
    const why = `these stats are not the target's: that server listens on port ${other().port}, the flood's target is port ${target().port}`;
    expect(m.result.leak.status).toBe('error');
    expect(m.result.leak.reasons).toEqual([why]);
    expect(m.result.leak.leaks).toBeNull();
    expect(m.result.leak.settleMs).toBe(0);
    expect(m.result.verdict).toBe('FAIL');
    expect(m.result.reasons).toContain(`leak check failed: ${why}`);
    expect(m.result.assertions).toEqual([expect.objectContaining({ expr: 'leaks==0', ok: false })]);
    // The shards did not know the target's backend, and another server's stats do not tell it.
    expect(m.result.target.backend).toBeNull();

    const text = await merge(other().statsUrl, false);
    expect(text.code).toBe(1);
    // The text report wraps its lines at 80 columns.
    expect(text.stdout.replace(/\s+/g, ' ')).toContain(`leak check error: ${why}`);
    expect(text.stdout).not.toContain('leak check clean');
    expect(text.stdout.trim().split('\n').at(-1)).toMatch(/^FAIL: /);
  });

  it('counters with the target port that did not see its connections: error after the settle wait, FAIL', async () => {
    // The other server's counters, relabelled with the target's port: only the counts can tell.
    const idle = await other().stats();
    const frozen: ServerStats = { ...idle, listen: { host: '127.0.0.1', port: target().port } };
    const fake = await serveStats(() => frozen);
    try {
      const m = await merge(fake.url);
      expect(m.code, m.stderr).toBe(1);
      expect(m.result.leak.status).toBe('error');
      expect(m.result.leak.reasons).toEqual([`these stats are not the target's: that server saw 0 connection(s) in all, ${connected} reached the target`]);
      expect(m.result.verdict).toBe('FAIL');
      expect(m.result.target.backend).toBeNull();
    } finally {
      await fake.close();
    }
  });

  it("the target's own stats: clean, PASS, and its backend", async () => {
    const m = await merge(target().statsUrl);
    expect(m.code, JSON.stringify(m.result.reasons)).toBe(0);
    expect(m.result.leak.status).toBe('clean');
    expect(m.result.verdict).toBe('PASS');
    expect(m.result.target.backend).toBe(m.result.leak.after.backend);
  });
});
