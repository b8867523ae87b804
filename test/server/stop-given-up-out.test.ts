// A stop given up (a second signal during it) still writes the counters as it was given up as
// the --out file's last sample before the process ends: the run's last figures are not lost,
// whatever the interval. Linux signals (secondSignalDuringStop, as in stop-signals).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { secondSignalDuringStop, startServerProcess } from '../helpers/serverProcess.js';

const dir = mkdtempSync(path.join(tmpdir(), 'iocp-bench-given-up-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(process.platform === 'win32')('a stop given up and --out', () => {
  it('the last sample is the counters as the stop was given up', async () => {
    const file = path.join(dir, 'samples.ndjson');
    // An interval longer than the run: the only sample is the one the stop writes.
    const server = await startServerProcess(['--out', file, '--interval', '1h']);
    const code = await secondSignalDuringStop(server);
    expect(code).toBe(1);
    expect(server.stdout()).toMatch(/"abandoned":"SIG(INT|TERM) during the stop"/);
    const samples = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { sessions: { accepted: number } });
    expect(samples).toHaveLength(1);
    expect(samples[0]!.sessions.accepted).toBe(1);
  });
});
