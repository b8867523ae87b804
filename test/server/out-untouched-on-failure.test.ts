// server --out FILE: a server that fails before it listens (its port in use) leaves FILE as it
// was. The soak case: a second server started by mistake on the port of one that runs, with the
// same --out, must not truncate the file the first one is writing (that left a header, a run of
// NUL bytes where the first server's rows were, then its later rows), and an absent FILE is not
// created.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { gracefulStop, startServerProcess, type NodeServerProcess } from '../helpers/serverProcess.js';
import { SERVER_SAMPLE_COLUMNS } from '../../src/server/serverSamples.js';

const HEADER = SERVER_SAMPLE_COLUMNS.join(',');
let dir = '';
let server: NodeServerProcess | null = null;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'iocp-out-'));
});
afterEach(async () => {
  await server?.stop('SIGKILL');
  server = null;
  rmSync(dir, { recursive: true, force: true });
});

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);

/** Polls `file` every 50 ms until it holds at least `n` lines, at most 15 s. */
async function waitForLines(file: string, n: number): Promise<string[]> {
  const end = Date.now() + 15_000;
  for (;;) {
    const got = existsSync(file) ? lines(file) : [];
    if (got.length >= n) return got;
    if (Date.now() > end) throw new Error(`${file} never held ${n} lines: ${JSON.stringify(got)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The second server, on a port in use: one line on stderr, exit 1. */
async function failingServer(port: number, file: string): Promise<void> {
  const r = await runCliProcess(['server', '--port', String(port), '--no-stats', '--interval', '100ms', '--out', file]);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^iocp-bench: bind failed: (EADDRINUSE|WSAEADDRINUSE) /)]);
}

it('a second server on the port of a running one leaves the running one\'s samples whole', async () => {
  const file = path.join(dir, 'soak.csv');
  const stop = gracefulStop('5s');
  server = await startServerProcess(['--out', file, '--interval', '100ms', ...stop.args]);
  // Created, its header written, by the time the "listening" line is out.
  expect(readFileSync(file, 'utf8').startsWith(`${HEADER}\n`)).toBe(true);
  // The header and two rows written by the first server before the second one starts.
  const before = await waitForLines(file, 3);
  await failingServer(server.port, file);
  expect(await server.stop(stop.signal, 30_000)).toMatchObject({ code: 0 });
  const text = readFileSync(file, 'utf8');
  expect(text.includes('\0'), 'NUL bytes in the file').toBe(false);
  const [header, ...rows] = lines(file);
  expect(header).toBe(HEADER);
  expect(rows.slice(0, before.length - 1)).toEqual(before.slice(1));
  expect(rows.length).toBeGreaterThan(before.length - 1);
  // Every sample, from the start: each begins where the one before ended.
  let elapsed = 0;
  for (const row of rows) {
    const cells = row.split(',');
    expect(cells).toHaveLength(SERVER_SAMPLE_COLUMNS.length);
    const col = (name: string) => Number(cells[SERVER_SAMPLE_COLUMNS.indexOf(name)]);
    expect(col('elapsedMs') - col('intervalMs')).toBe(elapsed);
    elapsed = col('elapsedMs');
  }
}, 60_000);

it.each([
  ['an existing file keeps its content', 'keep.csv', true],
  ['an absent file is not created', 'new.csv', false],
] as const)('a server whose port is in use: %s', async (_what, name, exists) => {
  const OLD = 'old samples, not to be lost\n';
  const file = path.join(dir, name);
  if (exists) writeFileSync(file, OLD);
  // The port in use: a server started here, with no --out.
  server = await startServerProcess([]);
  await failingServer(server.port, file);
  if (exists) expect(readFileSync(file, 'utf8')).toBe(OLD);
  else expect(existsSync(file)).toBe(false);
}, 60_000);
