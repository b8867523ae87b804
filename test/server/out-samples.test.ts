// `server --out FILE`: the server's own counters once per --interval, written as they are taken
// (NDJSON, or CSV for a .csv file), and a last sample from the final counters after the drain.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { gracefulStop, startServerProcess, type NodeServerProcess } from '../helpers/serverProcess.js';
import type { ServerSample } from '../../src/server/serverSamples.js';

let dir = '';
let server: NodeServerProcess | null = null;
afterEach(async () => {
  await server?.stop('SIGKILL');
  server = null;
  rmSync(dir, { recursive: true, force: true });
});

/** One connection that echoes `bytes` and closes: resolves when the server closed its side. */
function echoOnce(port: number, bytes: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let got = 0;
    s.on('connect', () => s.write(Buffer.alloc(bytes, 7)));
    s.on('data', (d) => {
      got += d.length;
      if (got >= bytes) s.end();
    });
    s.on('error', reject);
    s.on('close', () => resolve());
    s.setTimeout(10_000, () => s.destroy(new Error('echo timed out')));
  });
}

const readSamples = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as ServerSample);

/** Polls the file every 50 ms until `ok`, at most 15 s. */
async function waitForSamples(file: string, ok: (s: ServerSample[]) => boolean): Promise<ServerSample[]> {
  const end = Date.now() + 15_000;
  for (;;) {
    const samples = readSamples(file);
    if (ok(samples)) return samples;
    if (Date.now() > end) throw new Error(`samples never held: ${JSON.stringify(samples.at(-1))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('server --out writes its counters per interval, then the drained ones at the stop', async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'iocp-out-'));
  const file = path.join(dir, 'server.ndjson');
  const stop = gracefulStop('20s');
  server = await startServerProcess(['--out', file, '--interval', '200ms', ...stop.args]);
  await Promise.all(Array.from({ length: 5 }, () => echoOnce(server!.port, 100_000)));
  // Written while the server runs: a sample that has seen the 5 sessions come and go.
  const during = await waitForSamples(file, (s) => s.some((x) => x.sessions.accepted === 5 && x.sessions.freed === 5));
  expect(during.reduce((a, s) => a + s.bytes.inPerSec * (s.intervalMs / 1000), 0)).toBeGreaterThan(400_000);
  expect(during.some((s) => s.ops.completionsPerSec > 0)).toBe(true);
  expect(await server.stop(stop.signal, 30_000)).toMatchObject({ code: 0 });
  const samples = readSamples(file);
  expect(samples.length).toBeGreaterThan(during.length);
  let elapsed = 0;
  for (const s of samples) {
    expect(Object.keys(s)).toEqual(['time', 'elapsedMs', 'intervalMs', 'sessions', 'ops', 'bytes', 'staleCompletions', 'doubleFrees', 'rssBytes']);
    expect(s.elapsedMs - s.intervalMs).toBe(elapsed);
    elapsed = s.elapsedMs;
    expect(s.rssBytes).toBeGreaterThan(0);
  }
  expect(samples.at(-1)).toMatchObject({ sessions: { live: 0, accepted: 5, freed: 5, rejected: 0 }, ops: { outstanding: 0 }, staleCompletions: 0, doubleFrees: 0 });
}, 60_000);

it('server --out FILE.csv writes a header and rows of the same columns', async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'iocp-out-'));
  const file = path.join(dir, 'server.csv');
  const stop = gracefulStop('5s');
  server = await startServerProcess(['--out', file, '--interval', '100ms', ...stop.args]);
  await echoOnce(server.port, 1000);
  // A header and two samples written while it runs, then the last one at the stop.
  const rows = () => readFileSync(file, 'utf8').trimEnd().split('\n');
  const end = Date.now() + 15_000;
  while (rows().length < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  expect(await server.stop(stop.signal, 30_000)).toMatchObject({ code: 0 });
  const [header, ...data] = rows().map((l) => l.split(','));
  expect(header).toEqual([
    'time', 'elapsedMs', 'intervalMs', 'sessions.live', 'sessions.peak', 'sessions.accepted', 'sessions.freed', 'sessions.rejected',
    'ops.outstanding', 'ops.completionsPerSec', 'bytes.inPerSec', 'bytes.outPerSec', 'staleCompletions', 'doubleFrees', 'rssBytes',
  ]);
  expect(data.length).toBeGreaterThanOrEqual(2);
  for (const row of data) {
    expect(row).toHaveLength(header!.length);
    for (const cell of row) expect(cell).toMatch(/^\d+$/);
  }
  expect(data.at(-1)![header!.indexOf('sessions.accepted')]).toBe('1');
}, 60_000);
