#!/usr/bin/env node
// The CI smoke run (the smoke step of .github/workflows/ci.yml; .ci/run runs it under Wine): a
// server on the platform's default backend, a seeded flood against it with the leak check, then
// the server's own stop at the end of --duration, which must exit 0 (every session freed).
//
//   npm run smoke [-- [--wine] [--seed <n>] [--duration <time>] [-- <server options>]]
//
// --wine runs both processes on the Windows node.exe under Wine, prepared and located by
// scripts/windows/setup.sh as for the Wine tests. --duration is 40s, 90s with --wine. The seed is
// fixed unless given, so a failure replays with the same plan. Server options after a second `--`
// are added to `server --port 0 --stats-port 0 --json --duration <time>` (`-- --lifetime naive`).
// Both processes write to files (node.exe under Wine cannot write to a pipe). Exits 0, or 1 after
// the server's log with one line naming the part that failed.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'bin', 'iocp-bench.js');
const TOTAL = '2000';
const CONNECTIONS = '200';
const SEED = '20261206';

class SmokeFailure extends Error {}

/** `40s`, `2m`, `1m30s`, `500ms`; a bare number is seconds, as in the CLI. */
function parseDuration(text) {
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text) * 1000;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new SmokeFailure(`--duration ${text}: expected a time like 40s, 2m, 1m30s or 500ms`);
  }
  return parts.reduce((ms, p) => ms + Number(p[1]) * unit[p[2]], 0);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const readText = (file) => {
  try {
    return readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  } catch {
    return '';
  }
};

/** This machine's node, running the CLI directly. */
function nodeLauncher() {
  return {
    label: `node ${process.version}`,
    startupMs: 30_000,
    command: (args) => [process.execPath, [CLI, ...args]],
    env: process.env,
    ownGroup: false,
  };
}

/** `/a/b` -> `Z:\a\b` (Wine maps the Linux root to drive Z:). */
const winPath = (p) => 'Z:' + path.resolve(p).replace(/\//g, '\\');
const winFileUrl = (p) => 'file:///Z:' + path.resolve(p).split('/').map(encodeURIComponent).join('/');

/** The Windows node.exe under Wine, as test/windows/wine.ts starts it. */
function wineLauncher() {
  const setup = spawnSync('bash', [path.join(ROOT, 'scripts', 'windows', 'setup.sh')], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (setup.status !== 0) throw new SmokeFailure(`Wine setup failed (scripts/windows/setup.sh exited ${setup.status})`);
  const found = Object.fromEntries(
    setup.stdout.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const env = { ...process.env };
  for (const k of ['NODE_OPTIONS', 'NODE_PATH', 'DISPLAY']) delete env[k];
  Object.assign(env, {
    WINEPREFIX: found.WINEPREFIX,
    WINEDEBUG: process.env.WINEDEBUG ?? '-all',
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
    IOCP_WIN_KOFFI_DIR: winPath(found.KOFFI_DIR),
  });
  const preload = winFileUrl(path.join(ROOT, 'scripts', 'windows', 'preload.mjs'));
  return {
    label: `Wine, ${path.basename(path.dirname(path.dirname(found.NODE_EXE)))}`,
    // node.exe takes seconds to start under Wine.
    startupMs: 90_000,
    command: (args) => [found.WINE, [found.NODE_EXE, '--import', preload, winPath(CLI), ...args]],
    env,
    // Own process group: a kill then reaches what the wine launcher started.
    ownGroup: true,
  };
}

/** Starts `iocp-bench ...args` with stdout and stderr going to files in `dir`. */
function start(launcher, name, args, dir) {
  const files = { out: path.join(dir, `${name}.out`), err: path.join(dir, `${name}.err`) };
  const out = openSync(files.out, 'w');
  const err = openSync(files.err, 'w');
  const [command, argv] = launcher.command(args);
  let child;
  try {
    child = spawn(command, argv, { cwd: ROOT, env: launcher.env, stdio: ['ignore', out, err], detached: launcher.ownGroup, windowsHide: true });
  } finally {
    closeSync(out);
    closeSync(err);
  }
  const proc = { name, args, ...files, exit: undefined };
  proc.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve((proc.exit = { code, signal })));
    child.once('error', (e) => resolve((proc.exit = { code: null, signal: null, error: e.message })));
  });
  proc.kill = () => {
    if (proc.exit) return;
    try {
      if (launcher.ownGroup) process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  };
  return proc;
}

const describeExit = (e) => (e.error ? `could not start: ${e.error}` : e.signal ? `killed by ${e.signal}` : `exit code ${e.code}`);

/** Resolves with the process's exit, or undefined when it is still running after `ms`. */
async function exitWithin(proc, ms) {
  let timer;
  try {
    return await Promise.race([proc.exited, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitForListening(server, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const exitedBefore = server.exit;
    const line = readText(server.out).split('\n').find((l) => l.includes('"event":"listening"'));
    if (line) {
      try {
        return JSON.parse(line);
      } catch {
        /* still being written */
      }
    }
    if (exitedBefore) throw new SmokeFailure(`server: ${describeExit(exitedBefore)} before it was listening`);
    if (Date.now() > deadline) throw new SmokeFailure(`server: no "listening" line within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

function printFile(title, file, ifEmpty) {
  const text = readText(file).trimEnd() || ifEmpty;
  if (text) console.log(`--- ${title} ---\n${text}`);
}

async function smoke(launcher, durationText, seed, serverExtra, dir, procs) {
  const durationMs = parseDuration(durationText);
  const server = start(launcher, 'server', ['server', '--port', '0', '--stats-port', '0', '--json', '--duration', durationText, ...serverExtra], dir);
  procs.push(server);
  const listening = await waitForListening(server, launcher.startupMs);
  const listeningAt = Date.now();
  console.log(`smoke: server listening on ${listening.listen.host}:${listening.listen.port} (backend ${listening.backend}), stats ${listening.stats}`);

  const floodArgs = ['flood', `127.0.0.1:${listening.listen.port}`, '--stats', listening.stats, '-n', TOTAL, '-c', CONNECTIONS,
    '--seed', seed, '--no-progress', '--assert', 'leaks==0,dataErrors==0'];
  console.log(`smoke: iocp-bench ${floodArgs.join(' ')}`);
  const flood = start(launcher, 'flood', floodArgs, dir);
  procs.push(flood);
  const floodExit = await exitWithin(flood, durationMs + 60_000);
  printFile('flood report', flood.out);
  printFile('flood stderr', flood.err);
  if (!floodExit) throw new SmokeFailure(`flood: still running ${(durationMs + 60_000) / 1000} s after it started`);
  if (floodExit.code !== 0) {
    const why = server.exit ? `; the server had already stopped (${describeExit(server.exit)})` : '';
    throw new SmokeFailure(`flood: ${describeExit(floodExit)} (its report is above)${why}`);
  }
  const left = Math.max(0, listeningAt + durationMs - Date.now());
  console.log(`smoke: flood passed; the server stops by itself in about ${Math.round(left / 1000)} s (--duration ${durationText})`);

  // The server stops by itself at the end of --duration: a drain of at most 4 s, and a stop still
  // running after --stop-timeout (20 s) exits 1 on its own. A generous margin beyond that.
  const marginMs = 40_000;
  const serverExit = await exitWithin(server, Math.max(0, listeningAt + durationMs + marginMs - Date.now()));
  if (!serverExit) throw new SmokeFailure(`server: still running ${marginMs / 1000} s after its --duration ${durationText} should have ended`);
  if (serverExit.code !== 0) throw new SmokeFailure(`server: ${describeExit(serverExit)} after --duration (0 only when every session was freed)`);
}

async function main() {
  let opts;
  try {
    opts = parseArgs({
      options: {
        wine: { type: 'boolean', default: false },
        seed: { type: 'string', default: SEED },
        duration: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
    });
  } catch (e) {
    console.error(`smoke: ${e.message}`);
    return 2;
  }
  if (opts.values.help) {
    console.log('usage: node scripts/smoke.mjs [--wine] [--seed <n>] [--duration <time>] [-- <server options>]');
    return 0;
  }
  const { wine, seed } = opts.values;
  // Long enough for the start-up and the flood with room to spare: the flood takes ~6 s on
  // Linux and ~30 s under Wine (two node.exe processes sharing Wine's slow IOCP).
  const duration = opts.values.duration ?? (wine ? '90s' : '40s');
  const dir = mkdtempSync(path.join(tmpdir(), 'iocp-smoke-'));
  const procs = [];
  const t0 = Date.now();
  try {
    if (!existsSync(path.join(ROOT, 'dist', 'cli.js'))) throw new SmokeFailure('dist/ is missing: run `npm run build` first');
    const launcher = wine ? wineLauncher() : nodeLauncher();
    console.log(`smoke: ${launcher.label}; server --duration ${duration}, flood -n ${TOTAL} -c ${CONNECTIONS} --seed ${seed}`);
    await smoke(launcher, duration, seed, opts.positionals, dir, procs);
    printFile('server log', procs[0].out);
    console.log(`smoke: PASS in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    rmSync(dir, { recursive: true, force: true });
    return 0;
  } catch (e) {
    for (const p of procs) p.kill();
    const server = procs.find((p) => p.name === 'server');
    if (server) {
      printFile(`server log (${server.out})`, server.out, '(empty)');
      printFile(`server stderr (${server.err})`, server.err);
    }
    console.error(`smoke: FAIL: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

process.exitCode = await main();
