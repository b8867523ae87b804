// npm run bench:sessions -- hold N concurrent sessions (default 19,000: this machine's descriptor
// ceiling is 20,000 per process), the server in one process and the flood in another, and report
// resident memory per session for each.
//
//   node bench/sessions.mjs [--sessions N] [--hold S]
//
// The server runs with --max-sessions N; the flood opens N idle connections (--mix idle) that each
// echo one frame and hold for --hold seconds. The server's RSS (from its /stats) is read before
// and with all N held: per session = (RSS at N - RSS before) / N. The flood's (from /proc) is read
// at about 1,000 live and at N, so its start-up is left out: per connection = the growth between
// the two readings / the sessions added between them.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { sessions: { type: 'string', default: '19000' }, hold: { type: 'string', default: '25' } } });
const N = Number(values.sessions);
const HOLD_S = Number(values.hold);
const CLI = new URL('../bin/iocp-bench.js', import.meta.url).pathname;

const rssOf = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
const stats = async (url) => (await fetch(url)).json();
const until = async (what, ok, ms) => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await ok();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

const server = spawn(process.execPath, [CLI, 'server', '--port', '0', '--json', '--max-sessions', String(N + 500)], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
server.stdout.on('data', (d) => (out += d));
const started = JSON.parse(await until('the server', () => out.split('\n').find((l) => l.includes('"listening"')), 20_000));
const before = (await stats(started.stats)).extra.rssBytes;

const flood = spawn(process.execPath, [CLI, 'flood', `127.0.0.1:${started.listen.port}`, '--stats', started.stats, '-c', String(N), '-n', String(N),
  '--mix', 'idle', '--hold', `${HOLD_S}s`, '--messages', '1', '--size', '64', '--timeout', '60s', '--json', '--no-progress'], { stdio: ['ignore', 'pipe', 'inherit'] });
let floodOut = '';
flood.stdout.on('data', (d) => (floodOut += d));
const t0 = Date.now();
const early = await until('1,000 live sessions', async () => { const s = await stats(started.stats); return s.sessions.live >= 1000 ? { live: s.sessions.live, rss: rssOf(flood.pid) } : null; }, 30_000);
const at = await until(`${N} live sessions`, async () => { const s = await stats(started.stats); return s.sessions.live >= N ? s : null; }, (HOLD_S - 2) * 1000);
const floodAt = rssOf(flood.pid);
const holdAfterMs = Date.now() - t0;
const result = await new Promise((resolve) => flood.on('exit', (code) => resolve({ code, r: JSON.parse(floodOut) })));
server.kill('SIGTERM');

const kib = (b) => (b / 1024).toFixed(2);
console.log(JSON.stringify({
  sessions: N,
  reachedAfterMs: holdAfterMs,
  server: { rssBefore: before, rssAtN: at.extra.rssBytes, perSessionKiB: Number(kib((at.extra.rssBytes - before) / N)) },
  flood: { liveAtFirstReading: early.live, rssThen: early.rss, rssAtN: floodAt, perConnectionKiB: Number(kib((floodAt - early.rss) / (at.sessions.live - early.live))) },
  flood_verdict: result.r.verdict, flood_exit: result.code, peakActive: result.r.connections.peakActive, leak: result.r.leak.status,
}, null, 2));
process.exit(result.code === 0 ? 0 : 1);
