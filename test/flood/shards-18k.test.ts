// Three shards of 6,000 concurrent connections each, started together by --start-at, hold more
// than 17,000 sessions at once on one server (its own `peak`), and the merge's single leak check
// afterwards is clean. (Each process stays under this machine's 20,000-descriptor limit.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { useServerProcess } from '../helpers/serverProcess.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-18k-'));

describe.skipIf(process.platform !== 'linux')('3 shards x 6,000 connections against one server', () => {
  const server = useServerProcess(['--max-sessions', '19k']);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hold >= 17,000 sessions at once, and the merged leak check is clean', async () => {
    // Far enough ahead for three processes to load and open their threads on a busy machine.
    const start = new Date(Date.now() + 8000).toISOString();
    const runs = await Promise.all(
      [1, 2, 3].map((i) =>
        runCliProcess(
          ['flood', `127.0.0.1:${server().port}`, '-c', '18k', '-n', '18k', '--seed', '3', '--shard', `${i}/3`, '--start-at', start,
            '--mix', 'idle', '--hold', '10s', '--timeout', '30s', '--json', '--no-progress'],
          150_000,
        ),
      ),
    );
    const files = runs.map((r, i) => {
      expect(r.code, r.stderr).toBe(0);
      const file = path.join(dir, `shard-${i + 1}.json`);
      writeFileSync(file, r.stdout);
      return file;
    });
    for (const r of runs) expect(JSON.parse(r.stdout).connections.ok).toBe(6000);
    const m = await runCliProcess(['merge', ...files, '--json', '--stats', server().statsUrl], 60_000);
    expect(m.code, m.stdout.slice(0, 2000)).toBe(0);
    const merged = JSON.parse(m.stdout);
    expect(merged.connections.ok).toBe(18_000);
    expect(merged.leak.status).toBe('clean');
    expect(merged.leak.after.sessions.peak).toBeGreaterThanOrEqual(17_000);
  }, 240_000);
});
