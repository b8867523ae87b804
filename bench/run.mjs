// npm run bench -- side-by-side echo benchmark on this machine (loopback only).
//
//   npm run bench -- [--ref DIR] [--duration S | --quick] [--runs N] [--servers a,b] [--no-rss] [--no-flood]
//
// Every server (our epoll and node backends, the C reference echo server in its two modes, the koffi
// floors, refbench's plain Node `net` server) is started on its own and driven by the same closed-loop C client (echo_client -t 2)
// in the same cells; then resident memory per idle session is measured by holding 10,000 idle
// connections; then the flood engine is measured against the C client on the C server.
// One table, ratios to the C reference and to our `node` backend, raw JSON in bench/results/.
// Exit status: 0 = no data faults (perf targets are reported, not enforced), 1 = a data fault
// (client errors/mismatches, no echoes, a server lifetime fault), 2 = usage / set-up error.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { lineReader, machineTicks, procCpuSeconds, procRss, runCapture, sleep } from './lib/procs.mjs';
import { median, renderReport } from './lib/report.mjs';
import { measureOrder, serverDefs, serverFaults, startServer } from './lib/servers.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export const CELLS = [
  { id: 'echo c=100 s=64', mode: 'echo', conns: 100, size: 64 },
  { id: 'echo c=100 s=4096', mode: 'echo', conns: 100, size: 4096 },
  { id: 'echo c=1000 s=64', mode: 'echo', conns: 1000, size: 64 },
  { id: 'echo c=1000 s=4096', mode: 'echo', conns: 1000, size: 4096 },
  { id: 'churn c=50 s=64', mode: 'churn', conns: 50, size: 64 },
];
const CLIENT_THREADS = 2;
/** echo_client -w: seconds it waits for every connection's first echo (unmeasured). */
const CLIENT_WARM_TIMEOUT_S = 60;
const IDLE_SESSIONS = 10_000;
/** Background CPU (% of one core, everything on the box) below which a measurement may start. */
const QUIET_PCT = 30;
let QUIET_WAIT_S = 8;
/** A sample during which everything else used more than this (% of one core) counts as disturbed. */
const DISTURBED_PCT = 40;

/**
 * Other work on the box distorts every rate. Samples machine CPU for 1 s (the server under test
 * is idle then) until it is below QUIET_PCT or QUIET_WAIT_S has passed; returns the last sample.
 */
async function waitQuiet(serverPid) {
  const end = Date.now() + QUIET_WAIT_S * 1000;
  let pct = 0;
  for (;;) {
    const m0 = machineTicks();
    const s0 = serverPid ? procCpuSeconds(serverPid, CLK_TCK) ?? 0 : 0;
    await sleep(1000);
    const m1 = machineTicks();
    const s1 = serverPid ? procCpuSeconds(serverPid, CLK_TCK) ?? 0 : 0;
    pct = Math.round(((m1.busy - m0.busy) / CLK_TCK) * 100 - (s1 - s0) * 100);
    if (pct < QUIET_PCT || Date.now() >= end) return pct;
  }
}

const HELP = `usage: npm run bench -- [options]

  --ref <dir>        folder with echo_server.c, echo_client.c, node_echo.mjs
                     (default: ../shared/refbench next to the repo, if it exists)
  --duration <s>     measured seconds per cell (default 5)
  --quick            2 s cells, 1 run (unless --duration / --runs say otherwise)
  --runs <n>         repetitions of the echo matrix and the flood comparison; medians are shown (default 3)
  --servers <list>   subset of epoll,epoll-plain,node,c,c-shared,c-uring,floor,uring-floor,node-ref
                     (default: all available);
                     epoll-plain = our epoll server with --no-io-uring (only where io_uring is available),
                     c-shared = the C server with both threads on one epoll set (-m shared),
                     floor = the C server's design in JavaScript over koffi (bench/lib/koffi-floor.mjs),
                     uring-floor = c-uring's design in JavaScript over koffi (bench/lib/koffi-uring-floor.mjs;
                     only where its io_uring probe passes)
  --idle <n>         idle connections for the memory measurement (default ${IDLE_SESSIONS})
  --warmup <s>       unmeasured run of each echo cell on the same server before its measured
                     run, so that servers that compile as they run are measured at speed
                     (default 1, --quick 0.5; 0 = none)
  --quiet-wait <s>   before each measurement, wait up to this long for the rest of the machine
                     to use < ${QUIET_PCT}% of a core (default 8, --quick 3; 0 = do not wait)
  --no-rss           skip the idle-memory measurement
  --no-flood         skip the flood-engine comparison
  -h, --help

The common client (echo_client) comes from the reference folder: without it the echo cells and
the flood comparison are skipped (said so in the output) and only idle memory is measured.
Exit status: 0 no data faults (unmet performance targets are reported, not enforced),
1 a data or lifetime fault, 2 a usage or set-up error.`;

function die(msg, code = 2) {
  console.error(`bench: ${msg}`);
  process.exit(code);
}

function parseCli() {
  let a;
  try {
    a = parseArgs({
      options: {
        ref: { type: 'string' },
        duration: { type: 'string' },
        quick: { type: 'boolean', default: false },
        runs: { type: 'string' },
        servers: { type: 'string' },
        idle: { type: 'string' },
        'no-rss': { type: 'boolean', default: false },
        'no-flood': { type: 'boolean', default: false },
        'quiet-wait': { type: 'string' },
        warmup: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    }).values;
  } catch (e) {
    die(`${e.message}\n${HELP}`);
  }
  if (a.help) {
    console.log(HELP);
    process.exit(0);
  }
  const duration = a.duration !== undefined ? Number(a.duration) : a.quick ? 2 : 5;
  const runs = a.runs !== undefined ? Number(a.runs) : a.quick ? 1 : 3;
  const idle = a.idle !== undefined ? Number(a.idle) : IDLE_SESSIONS;
  if (!(duration > 0 && duration <= 600)) die(`--duration: '${a.duration}' is not a number of seconds in (0, 600]`);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) die(`--runs: '${a.runs}' is not an integer 1..50`);
  if (!Number.isInteger(idle) || idle < 1 || idle > 15_000) die(`--idle: '${a.idle}' is not an integer 1..15000`);
  let refDir = null;
  let refNote;
  if (a.ref !== undefined) {
    refDir = resolve(a.ref);
    if (!existsSync(join(refDir, 'echo_client.c'))) die(`--ref ${a.ref}: no echo_client.c there`);
    refNote = `reference folder ${refDir} (--ref)`;
  } else {
    const guess = resolve(ROOT, '../shared/refbench');
    if (existsSync(join(guess, 'echo_client.c'))) {
      refDir = guess;
      refNote = `reference folder ${guess} (found next to the repo; --ref to choose another)`;
    } else {
      refNote = `NO reference folder (${guess} is absent and --ref was not given): the C server, C client and node-ref rows are skipped`;
    }
  }
  const quietWait = a['quiet-wait'] !== undefined ? Number(a['quiet-wait']) : a.quick ? 3 : 8;
  if (!(quietWait >= 0 && quietWait <= 600)) die(`--quiet-wait: '${a['quiet-wait']}' is not a number of seconds 0..600`);
  const servers = a.servers ? a.servers.split(',').map((s) => s.trim()) : null;
  for (const s of servers ?? []) if (!['epoll', 'epoll-plain', 'node', 'c', 'c-uring', 'c-shared', 'floor', 'uring-floor', 'node-ref'].includes(s)) die(`--servers: unknown server '${s}'`);
  const warmup = a.warmup !== undefined ? Number(a.warmup) : a.quick ? 0.5 : 1;
  if (!(warmup >= 0 && warmup <= 600)) die(`--warmup: '${a.warmup}' is not a number of seconds 0..600`);
  return { duration, runs, idle, quietWait, warmup, refDir, refNote, servers, rss: !a['no-rss'], flood: !a['no-flood'], quick: a.quick };
}

/** Compiles the reference C server and client into .cache/bench-bin when missing or stale. */
function buildRef(refDir) {
  const out = join(ROOT, '.cache/bench-bin');
  mkdirSync(out, { recursive: true });
  for (const name of ['echo_server', 'echo_client']) {
    const src = join(refDir, `${name}.c`);
    const bin = join(out, name);
    if (existsSync(bin) && statSync(bin).mtimeMs >= statSync(src).mtimeMs) continue;
    const r = spawnSync('gcc', ['-O2', '-Wall', '-pthread', '-o', bin, src], { encoding: 'utf8' });
    if (r.status !== 0) die(`gcc failed for ${src}:\n${r.stderr || r.error}`);
  }
  buildUringRef(refDir, out);
  return out;
}

/**
 * The io_uring reference (`c-uring`): needs liburing. Installed through apt-get when missing and
 * this runs as root (as the Windows scripts install Wine); elsewhere the row is left out with a
 * note. Returns whether the binary is there.
 */
function buildUringRef(refDir, out) {
  const src = join(refDir, 'uring_echo_server.c');
  const bin = join(out, 'uring_echo_server');
  if (!existsSync(src)) return false;
  if (existsSync(bin) && statSync(bin).mtimeMs >= statSync(src).mtimeMs) return true;
  const build = () => spawnSync('gcc', ['-O2', '-Wall', '-pthread', '-o', bin, src, '-luring'], { encoding: 'utf8' });
  let r = build();
  if (r.status !== 0 && process.getuid?.() === 0) {
    log('bench: installing liburing-dev for the c-uring reference');
    spawnSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq liburing-dev'], { stdio: 'ignore' });
    r = build();
  }
  if (r.status !== 0) log(`bench: c-uring left out: ${src} does not build (apt-get install liburing-dev)`);
  return r.status === 0;
}

/**
 * The io_uring floor (`uring-floor`) needs multishot receives, provided-buffer rings and multishot
 * accepts: its own --probe says whether this kernel has them (exit 3 and one line when not, and
 * the row is left out with that line).
 */
function uringFloorAvailable() {
  const r = spawnSync(process.execPath, [join(ROOT, 'bench/lib/koffi-uring-floor.mjs'), '--probe'], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) log(`bench: uring-floor left out: ${r.stderr?.trim().split('\n')[0] || `probe exit ${r.status ?? r.signal}`}`);
  return r.status === 0;
}

/** The JSON object a client prints as its last stdout line, or null. */
function lastJsonLine(stdout) {
  try {
    return JSON.parse(stdout.trim().split('\n').pop());
  } catch {
    return null;
  }
}

const faults = [];
const log = (msg) => console.error(msg);

/**
 * Runs a client (`run` resolves to runCapture()'s result) and says how the machine's CPU was
 * shared meanwhile, in % of one core: the server, the client, and everything else (`other`:
 * the machine's busy time less those two; the client's CPU is sampled every 100 ms, so `other`
 * may read a few points high).
 */
async function withCpuShares(serverPid, run) {
  const s0 = procCpuSeconds(serverPid, CLK_TCK);
  const m0 = machineTicks();
  const w0 = performance.now();
  const r = await run();
  const wall = (performance.now() - w0) / 1000;
  const s1 = procCpuSeconds(serverPid, CLK_TCK);
  const m1 = machineTicks();
  const srvCpuSeconds = s0 !== null && s1 !== null ? s1 - s0 : null;
  const srvPct = srvCpuSeconds === null ? null : (srvCpuSeconds / wall) * 100;
  const cliPct = (r.cpuSeconds / wall) * 100;
  const machinePct = ((m1.busy - m0.busy) / CLK_TCK / wall) * 100;
  return {
    r,
    wallS: +wall.toFixed(3),
    srvCpuSeconds,
    shares: {
      srvCpuPct: srvPct === null ? null : Math.round(srvPct),
      cliCpuPct: Math.round(cliPct),
      otherCpuPct: srvPct === null ? null : Math.max(0, Math.round(machinePct - srvPct - cliPct)),
    },
  };
}

/**
 * One echo_client run against a running server, with CPU accounting for server, client and the
 * rest. With warmupS > 0 an unmeasured run of the same cell comes first: a server that compiles
 * its code as it runs (ours, node-ref, the floor) is then measured at speed, as the C server is
 * from its first message. Faults during the warm-up count like any other.
 */
async function clientCell(cBin, server, cell, duration, warmupS = 0) {
  // -w: how long echo_client waits for every connection's first echo before it starts the
  // clock. Node's `net` servers accept one connection per turn of their event loop, so under
  // load 1,000 connections take 10-15 s to be accepted; its default (15 s) is too short.
  const cellArgs = (d) => ['-h', '127.0.0.1', '-p', String(server.port), '-m', cell.mode, '-c', String(cell.conns), '-s', String(cell.size), '-d', String(d), '-t', String(CLIENT_THREADS), '-w', String(CLIENT_WARM_TIMEOUT_S)];
  const args = cellArgs(duration);
  let warmFault = null;
  if (warmupS > 0) {
    const w = await runCapture(join(cBin, 'echo_client'), cellArgs(warmupS), { timeoutMs: (CLIENT_WARM_TIMEOUT_S + warmupS + 40) * 1000, clkTck: CLK_TCK });
    const wj = lastJsonLine(w.stdout);
    if (!wj || w.code !== 0 || wj.errors || wj.mismatches) {
      warmFault = `warm-up: ${wj ? `exit ${w.code}, ${wj.errors} errors, ${wj.mismatches} mismatches` : `no JSON from echo_client (exit ${w.code})`}`;
    }
  }
  const bgCpuPct = QUIET_WAIT_S > 0 ? await waitQuiet(server.pid) : null;
  const { r, wallS, srvCpuSeconds, shares } = await withCpuShares(server.pid, () =>
    runCapture(join(cBin, 'echo_client'), args, { timeoutMs: (CLIENT_WARM_TIMEOUT_S + duration + 40) * 1000, clkTck: CLK_TCK }),
  );
  const j = lastJsonLine(r.stdout);
  const row = {
    server: server.name,
    cell: cell.id,
    client: 'echo_client',
    args,
    exit: r.code,
    wallS,
    ...shares,
    bgCpuPctBefore: bgCpuPct,
    warmupS,
    // The server's CPU (user + system) over everything it echoed in the measured window: the
    // connections' set-up is in it too, so it is a slight overestimate (most for c=1000).
    // The client's CPU per echo (or connection), likewise (its own set-up included).
    cliUsPerOp: j ? +((r.cpuSeconds * 1e6) / Math.max(1, (cell.mode === 'churn' ? j.connections_per_s : j.msgs_per_s) * duration)).toFixed(2) : null,
    srvUsPerOp: j && srvCpuSeconds !== null ? +((srvCpuSeconds * 1e6) / Math.max(1, (cell.mode === 'churn' ? j.connections_per_s : j.msgs_per_s) * duration)).toFixed(2) : null,
    ...(j ?? {}),
  };
  const why = warmFault ? [warmFault] : [];
  if (!j) why.push(`no JSON from echo_client (exit ${r.code}${r.timedOut ? ', killed after timeout' : ''}): ${r.stderr.trim().slice(-300)}`);
  else {
    if (r.code !== 0) why.push(`echo_client exit ${r.code}`);
    if (!j.msgs) why.push('no echoes');
    if (j.errors) why.push(`${j.errors} errors`);
    if (j.mismatches) why.push(`${j.mismatches} mismatches`);
  }
  if (why.length) {
    row.fault = why.join('; ');
    faults.push(`${server.name} ${cell.id}: ${row.fault}`);
  }
  return row;
}

async function stopServer(server, phase) {
  const exit = await server.stop();
  const f = serverFaults(server.name, exit).map((x) => `${phase}: ${x}`);
  faults.push(...f);
  return {
    server: server.name,
    phase,
    code: exit.code,
    signal: exit.signal,
    stopped: exit.stopped,
    faults: f,
  };
}

// ---------------------------------------------------------------- idle memory

function startHolder(port, count) {
  const child = spawn(process.execPath, [join(HERE, 'lib/hold-idle.mjs'), String(port), String(count)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = lineReader(child.stdout);
  return {
    child,
    async opened() {
      const l = await lines.next(90_000);
      if (l === null) throw new Error('idle holder exited before reporting');
      return JSON.parse(l);
    },
    async close() {
      child.stdin.end('close\n');
      const l = await lines.next(30_000).catch(() => null);
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      return l ? JSON.parse(l) : null;
    },
  };
}

async function waitStats(server, pred, timeoutMs) {
  const end = Date.now() + timeoutMs;
  let s = null;
  while (Date.now() < end) {
    s = await server.stats();
    if (s === null || pred(s)) return s;
    await sleep(100);
  }
  return s;
}

/** RSS once it has not moved by more than 64 KiB across 5 samples 200 ms apart (max timeoutMs). */
async function stableRss(pid, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  const xs = [procRss(pid)];
  while (Date.now() < end) {
    await sleep(200);
    xs.push(procRss(pid));
    const last = xs.slice(-5);
    if (last.length === 5 && Math.max(...last) - Math.min(...last) <= 64 * 1024) break;
  }
  return xs[xs.length - 1];
}

async function idleMemory(def, n) {
  const extra = def.kind === 'ours' ? ['--max-sessions', String(Math.max(n, 10_000))] : [];
  const server = await startServer(def, extra);
  const row = { server: def.name, sessions: n };
  try {
    // Warm the workers, the accept path and the allocator before the baseline.
    const warm = startHolder(server.port, 100);
    await warm.opened();
    await sleep(300);
    await warm.close();
    await waitStats(server, (s) => s.sessions.live === 0, 10_000);
    await sleep(300);
    row.rssBefore = await stableRss(server.pid);
    const h = startHolder(server.port, n);
    const o = await h.opened();
    row.opened = o.opened;
    row.openFailed = o.failed;
    row.openMs = o.ms;
    const s = await waitStats(server, (x) => x.sessions.live >= n, 30_000);
    if (s) {
      row.live = s.sessions.live;
      row.rejected = s.sessions.rejected;
    }
    await sleep(300);
    row.rssAfter = await stableRss(server.pid);
    const c = await h.close();
    row.closedEarly = c?.closedEarly ?? null;
    row.perSessionBytes = Math.round((row.rssAfter - row.rssBefore) / n);
    await waitStats(server, (x) => x.sessions.live === 0, 20_000);
    const why = [];
    if (o.opened !== n) why.push(`only ${o.opened}/${n} idle connections opened (${o.failed} failed)`);
    if (s && s.sessions.live !== n) why.push(`server holds ${s.sessions.live} live sessions, expected ${n} (rejected ${s.sessions.rejected})`);
    if (row.closedEarly) why.push(`${row.closedEarly} idle connections were closed by the server`);
    if (why.length) {
      row.fault = why.join('; ');
      faults.push(`idle ${def.name}: ${row.fault}`);
    }
  } finally {
    row.stop = await stopServer(server, 'idle');
  }
  return row;
}

// ---------------------------------------------------------------- flood engine

function floodCli() {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/iocp-bench.js'), 'flood', '--help'], { encoding: 'utf8', cwd: ROOT });
  const help = `${r.stdout}${r.stderr}`;
  if (r.status !== 0 || !/Usage: iocp-bench flood/.test(help)) return { ok: false, help };
  const need = ['--connections', '--total', '--messages', '--size', '--mix', '--workers', '--json', '--duration'];
  const missing = need.filter((f) => !help.includes(f));
  // Help text wraps: read the mode list with its line breaks folded.
  const modes = /modes: ([a-z, -]+)/.exec(help.replace(/\s+/g, ' '))?.[1].split(/,\s*/).filter(Boolean) ?? [];
  return { ok: missing.length === 0, help, missing, modes };
}

async function floodRun(server, args, timeoutMs) {
  const full = [join(ROOT, 'bin/iocp-bench.js'), 'flood', ...args];
  const { r, shares } = await withCpuShares(server.pid, () => runCapture(process.execPath, full, { timeoutMs, clkTck: CLK_TCK, cwd: ROOT }));
  return { r, shares, j: lastJsonLine(r.stdout), argv: ['iocp-bench', 'flood', ...args] };
}

async function floodPhase(cDef, cBin, runs, duration, cli) {
  const server = await startServer(cDef);
  const target = `127.0.0.1:${server.port}`;
  const rows = [];
  // rst-mid-frame with --messages 1 (forced to 2 frames) is "connect, one verified echo, RST":
  // the closest the flood has to echo_client's churn (which RSTs right after one echo).
  const churnMode = ['echo-rst', 'rst-after-echo', 'rst-mid-frame'].find((m) => cli.modes.includes(m)) ?? 'rst-mid-frame';
  try {
    for (let run = 1; run <= runs; run++) {
      const cEcho = await clientCell(cBin, server, CELLS[0], duration);
      rows.push(echoClientRow(run, 'echo', cEcho, cEcho.msgs_per_s));
      log(`  run ${run} flood-vs-C: echo_client ${CELLS[0].id} -> ${cEcho.msgs_per_s} msg/s`);
      // Closed loop: 100 connections each send frames one at a time (wait for the echo before
      // the next) for `duration`, as echo_client does, and end at the deadline with a clean FIN
      // (--messages is the most one may send, never reached in that time). A plan of M frames per
      // connection instead ends on a tail that echo_client has not: one client thread's
      // connections finish before the other's, and the whole-run rate would charge the flood for
      // the time the rest take alone.
      const echoArgs = [target, '--connections', '100', '--duration', `${duration}s`, '--messages', '1000000', '--size', '64', '--mix', 'graceful=1', '--workers', String(CLIENT_THREADS), '--seed', '1', '--timeout', '10s', '--json', '--no-progress'];
      const fe = await floodRun(server, echoArgs, (duration * 4 + 60) * 1000);
      rows.push(floodRow(run, 'echo', fe, server.name));
      // The same a quarter as long: the difference between the two runs is the flood's steady
      // rate, without the fixed costs of a run (JIT warm-up, set-up, the deadline's drain).
      const fes = await floodRun(server, withOption(echoArgs, '--duration', `${Math.max(0.5, duration / 4)}s`), (duration * 4 + 60) * 1000);
      steady(rows.at(-1), floodRow(run, 'echo', fes, server.name));
      log(`  run ${run} flood-vs-C: flood echo -> ${rows.at(-1).rate ?? 'n/a'} msg/s (steady ${rows.at(-1).steadyRate ?? 'n/a'}) cpu srv ${rows.at(-1).srvCpuPct ?? '-'}% cli ${rows.at(-1).cliCpuPct}% other ${rows.at(-1).otherCpuPct ?? '-'}%`);

      const cChurn = await clientCell(cBin, server, CELLS[4], duration);
      rows.push(echoClientRow(run, 'churn', cChurn, cChurn.connections_per_s));
      log(`  run ${run} flood-vs-C: echo_client ${CELLS[4].id} -> ${cChurn.connections_per_s} conn/s`);
      const churnArgs = [target, '--connections', '50', '--duration', `${duration}s`, '--messages', '1', '--size', '64', '--mix', `${churnMode}=1`, '--workers', String(CLIENT_THREADS), '--seed', '1', '--timeout', '10s', '--json', '--no-progress'];
      const fc = await floodRun(server, churnArgs, (duration * 4 + 60) * 1000);
      rows.push(floodRow(run, 'churn', fc, server.name));
      const dShort = `${Math.max(0.5, duration / 4)}s`;
      const fcs = await floodRun(server, withOption(churnArgs, '--duration', dShort), (duration * 4 + 60) * 1000);
      steady(rows.at(-1), floodRow(run, 'churn', fcs, server.name));
      log(`  run ${run} flood-vs-C: flood churn -> ${rows.at(-1).rate ?? 'n/a'} conn/s (steady ${rows.at(-1).steadyRate ?? 'n/a'}) cpu srv ${rows.at(-1).srvCpuPct ?? '-'}% cli ${rows.at(-1).cliCpuPct}% other ${rows.at(-1).otherCpuPct ?? '-'}%`);
    }
  } finally {
    await stopServer(server, 'flood');
  }
  return rows;
}

/** argv with the value of `flag` replaced. */
function withOption(argv, flag, value) {
  const out = [...argv];
  out[out.indexOf(flag) + 1] = value;
  return out;
}

/** An echo_client row of the flood comparison, from clientCell()'s row `c`. */
function echoClientRow(run, kind, c, rate) {
  const { srvCpuPct, cliCpuPct, otherCpuPct } = c;
  return { run, kind, client: 'echo_client', rate, p50: c.p50_us, p99: c.p99_us, cpuUs: c.cliUsPerOp, srvCpuPct, cliCpuPct, otherCpuPct, raw: c };
}

/** What other work used during a row's runs: the flood's steady figures come from two runs, so the larger of theirs. */
function otherDuring(row) {
  const xs = [row.otherCpuPct, row.short?.otherCpuPct].filter((x) => x != null);
  return xs.length ? Math.max(...xs) : null;
}

/**
 * The flood's steady rate from a full run and a shorter one: (count difference) / (time
 * difference). A whole-run rate carries the run's fixed costs (its threads' JIT warming up over
 * the first few hundred ms, connection set-up, the drain at the deadline), which echo_client's
 * rate excludes by starting its clock after its warm-up.
 */
function steady(full, short) {
  full.short = { elapsedMs: short.elapsedMs ?? null, count: short.count ?? null, fault: short.fault ?? null, otherCpuPct: short.otherCpuPct ?? null };
  const dt = (full.elapsedMs ?? 0) - (short.elapsedMs ?? 0);
  if (full.fault || short.fault || !(dt > 0) || full.count == null || short.count == null) return;
  full.steadyRate = Math.round(((full.count - short.count) * 1000) / dt);
  // The flood's CPU per verified message (or connection), steady: the same difference of runs.
  if (full.cpuSeconds != null && short.cpuSeconds != null && full.count > short.count)
    full.steadyCpuUs = +(((full.cpuSeconds - short.cpuSeconds) * 1e6) / (full.count - short.count)).toFixed(2);
}

function floodRow(run, kind, { r, j, argv, shares }, serverName) {
  const row = { run, kind, client: 'flood', argv: argv.join(' '), exit: r.code, ...shares, cpuSeconds: r.cpuSeconds };
  if (!j) {
    row.fault = `flood printed no JSON (exit ${r.code}${r.timedOut ? ', killed after timeout' : ''}): ${r.stderr.trim().slice(-400)}`;
  } else {
    row.rate = kind === 'echo' ? j.messages.perSec : j.connections.perSec;
    row.count = kind === 'echo' ? j.messages.verified : j.connections.ok + j.connections.faulted + j.connections.errored;
    row.p50 = j.latencyUs?.roundTrip?.p50 ?? null;
    row.p99 = j.latencyUs?.roundTrip?.p99 ?? null;
    row.elapsedMs = j.elapsedMs;
    row.verified = j.messages.verified;
    row.connections = j.connections;
    row.faults = j.faults;
    row.errors = j.errors;
    row.verdict = j.verdict;
    row.reasons = j.reasons;
    const why = [];
    if (!j.messages.verified) why.push('no verified echoes');
    if (j.faults?.total) why.push(`${j.faults.total} data faults`);
    if (j.errors?.total) why.push(`${j.errors.total} errors`);
    if (why.length) row.fault = why.join('; ');
  }
  if (row.fault) faults.push(`flood ${kind} on ${serverName} run ${run}: ${row.fault}`);
  return row;
}

// ---------------------------------------------------------------- main

async function main() {
  const o = parseCli();
  QUIET_WAIT_S = o.quietWait;
  const started = new Date();
  const cBin = o.refDir ? buildRef(o.refDir) : null;
  // The built server's own probe: where io_uring is usable, its batching is measured against
  // the same server making one system call per recv/send (epoll-plain).
  const { ioUringAvailable } = await import(join(ROOT, 'dist/native/platform.js'));
  const ioUring = ioUringAvailable();
  const uringFloor = uringFloorAvailable();
  let defs = serverDefs({ root: ROOT, refDir: o.refDir, cBin, ioUring, uringFloor });
  if (o.servers) defs = defs.filter((d) => o.servers.includes(d.name));
  const env = {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? '?',
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    gcc: spawnSync('gcc', ['-dumpfullversion'], { encoding: 'utf8' }).stdout?.trim() ?? null,
    loadAvgAtStart: os.loadavg().map((x) => +x.toFixed(2)),
    git: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', cwd: ROOT }).stdout?.trim() ?? null,
  };
  log(`bench: ${env.cpus} CPUs (${env.cpuModel}), ${env.kernel}, node ${env.node}, gcc ${env.gcc}, load ${env.loadAvgAtStart.join(' ')}`);
  log(`bench: ${o.refNote}`);
  log(`bench: ${o.runs} run(s) x ${o.duration} s cells${o.warmup > 0 ? `, each after a ${o.warmup} s unmeasured warm-up on the same server` : ''}; client echo_client -t ${CLIENT_THREADS}; servers: ${defs.map((d) => d.name).join(', ')}`);
  if (env.loadAvgAtStart[0] > 0.5 * env.cpus) log(`bench: WARNING the machine is already busy (load ${env.loadAvgAtStart[0]}); see the "other CPU" column`);

  const cellRows = [];
  const serverStops = [];
  if (!cBin) {
    log('bench: echo cells SKIPPED: the common client (echo_client) comes from the reference folder');
  } else {
    // Cell-major, one server at a time, each started fresh for the cell: a burst of other work
    // on the box hits one sample, not one server's whole column. Within a cell-round the servers
    // whose ratios are judged are measured one after the other (measureOrder).
    for (let run = 1; run <= o.runs; run++) {
      const order = measureOrder(defs.map((d) => d.name), run).map((n) => defs.find((d) => d.name === n));
      for (const cell of CELLS) {
        for (const def of order) {
          const server = await startServer(def);
          try {
            const row = await clientCell(cBin, server, cell, o.duration, o.warmup);
            row.run = run;
            if (server.statsUrl) row.serverStats = await server.stats().catch(() => null);
            cellRows.push(row);
            const rate = cell.mode === 'churn' ? `${row.connections_per_s} conn/s` : `${row.msgs_per_s} msg/s`;
            log(`  run ${run} ${cell.id.padEnd(18)} ${def.name.padEnd(8)} ${rate} p50 ${row.p50_us} us p99 ${row.p99_us} us cpu srv ${row.srvCpuPct}% cli ${row.cliCpuPct}% other ${row.otherCpuPct}% (before: ${row.bgCpuPctBefore ?? '-'}%)${row.fault ? `  FAULT: ${row.fault}` : ''}`);
          } finally {
            serverStops.push({ run, cell: cell.id, ...(await stopServer(server, `${cell.id} run ${run}`)) });
          }
        }
      }
    }
  }

  const idleRows = [];
  if (o.rss) {
    // The floors, the C server's second mode and epoll-plain add nothing to what idle memory shows.
    for (const def of defs.filter((d) => d.kind !== 'floor' && d.name !== 'c-shared' && d.name !== 'epoll-plain')) {
      log(`  idle memory: ${def.name}, ${o.idle} connections ...`);
      const row = await idleMemory(def, o.idle);
      idleRows.push(row);
      log(`  idle memory: ${def.name} RSS ${(row.rssBefore / 2 ** 20).toFixed(1)} -> ${(row.rssAfter / 2 ** 20).toFixed(1)} MiB = ${(row.perSessionBytes / 1024).toFixed(2)} KiB/session${row.fault ? `  FAULT: ${row.fault}` : ''}`);
    }
  }

  let flood = { status: 'skipped', reason: '--no-flood', rows: [] };
  if (o.flood) {
    const cDef = serverDefs({ root: ROOT, refDir: o.refDir, cBin }).find((d) => d.name === 'c');
    const cli = floodCli();
    if (!cDef) flood = { status: 'skipped', reason: 'no C reference server (no reference folder)', rows: [] };
    else if (!cli.help.includes('Usage: iocp-bench flood')) flood = { status: 'skipped', reason: "the 'flood' command does not exist yet in this build (iocp-bench flood --help)", rows: [] };
    else if (!cli.ok) flood = { status: 'skipped', reason: `the flood command lacks ${cli.missing.join(', ')}`, rows: [] };
    else {
      log('  flood engine vs echo_client on the C server ...');
      const rows = await floodPhase(cDef, cBin, o.runs, o.duration, cli);
      flood = { status: 'ran', rows };
    }
    if (flood.status === 'skipped') log(`bench: flood comparison SKIPPED: ${flood.reason}`);
  }

  // ------------------------------------------------------------ medians and output
  const servers = defs.map((d) => d.name);
  const med = {};
  for (const s of servers) {
    med[s] = {};
    for (const cell of CELLS) {
      const every = cellRows.filter((r) => r.server === s && r.cell === cell.id);
      if (!every.length) continue;
      // Samples during which the rest of the box stayed under DISTURBED_PCT of a core, when there
      // are any; otherwise all of them (and the table marks the row).
      const clean = every.filter((r) => r.otherCpuPct !== null && r.otherCpuPct <= DISTURBED_PCT);
      const rs = clean.length ? clean : every;
      med[s][cell.id] = {
        rate: median(rs.map((r) => (cell.mode === 'churn' ? r.connections_per_s : r.msgs_per_s))),
        msgsPerS: median(rs.map((r) => r.msgs_per_s)),
        p50: median(rs.map((r) => r.p50_us)),
        p99: median(rs.map((r) => r.p99_us)),
        srvCpu: median(rs.map((r) => r.srvCpuPct)),
        srvUsPerOp: median(rs.map((r) => r.srvUsPerOp)),
        cliCpu: median(rs.map((r) => r.cliCpuPct)),
        otherCpu: median(rs.map((r) => r.otherCpuPct)),
        warmup: median(rs.map((r) => r.warmup_s)),
        runs: every.length,
        clean: clean.length,
      };
    }
  }
  const idle = Object.fromEntries(idleRows.map((r) => [r.server, r]));
  const floodMed = {};
  for (const kind of ['echo', 'churn']) {
    for (const client of ['echo_client', 'flood']) {
      const rs = flood.rows.filter((r) => r.kind === kind && r.client === client);
      if (rs.length) {
        const st = rs.map((r) => r.steadyRate).filter((x) => x != null);
        floodMed[`${kind}/${client}`] = { rate: median(rs.map((r) => r.rate)), steadyRate: st.length ? median(st) : null, p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), cpuUs: median(rs.map((r) => (client === 'flood' ? r.steadyCpuUs : r.cpuUs) ?? null).filter((x) => x !== null)), otherCpu: median(rs.map(otherDuring)), runs: rs.length };
      }
    }
  }

  const result = {
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    options: { duration: o.duration, runs: o.runs, warmup: o.warmup, idle: o.idle, ref: o.refDir, clientThreads: CLIENT_THREADS, cells: CELLS },
    env: { ...env, loadAvgAtEnd: os.loadavg().map((x) => +x.toFixed(2)) },
    note: 'client and server share this machine\'s CPUs; rates are client+server together on this box, not server capacity',
    servers: defs.map(({ name, what }) => ({ name, what })),
    medians: med,
    idle,
    flood: { status: flood.status, reason: flood.reason ?? null, medians: floodMed },
    raw: { cells: cellRows, serverStops, idle: idleRows, flood: flood.rows },
    faults,
  };
  const { text, targets } = renderReport({ result, servers, cells: CELLS, med, idle, flood, floodMed, faults, o, disturbedPct: DISTURBED_PCT });
  result.targets = targets;
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(text);
  console.log(`raw results: ${relative(process.cwd(), file) || file}`);
  if (faults.length) {
    console.error(`\nbench: FAILED: ${faults.length} data/lifetime fault(s):\n  ${faults.join('\n  ')}`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(`bench: ${e?.stack ?? e}`);
  process.exit(2);
});
