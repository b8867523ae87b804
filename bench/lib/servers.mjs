// The servers the bench measures, each started on its own and stopped before the next starts.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, lineReader, sleep, waitExit, waitPort } from './procs.mjs';

/**
 * name: the column/row key used everywhere (results JSON, ratios).
 *   epoll    - our server, --backend epoll (its workers batch recv/send through io_uring where
 *              the kernel allows it)
 *   epoll-plain - the same with --no-io-uring: one system call per recv and per send; measured
 *              only where io_uring is available (elsewhere it is `epoll`)
 *   node     - our server, --backend node (the `net` baseline every ratio "×node" refers to)
 *   c        - the C reference echo server (refbench echo_server -t 2)
 *   c-shared - the same in its shared mode (-m shared): both threads on one epoll set with
 *              EPOLLONESHOT, the completion-port model that our servers follow
 *   node-ref - refbench's plain `net` echo server (node_echo.mjs, socket.pipe(socket))
 *   floor    - the C server's design in JavaScript over koffi (koffi-floor.mjs): what calling the
 *              kernel from JavaScript costs here, without the completion contract
 *   uring-floor - c-uring's design in JavaScript over koffi (koffi-uring-floor.mjs: multishot
 *              receives into provided buffers, per-thread rings); only where its --probe passes
 */
export function serverDefs({ root, refDir, cBin, ioUring = false, uringFloor = false }) {
  const defs = [
    { name: 'epoll', what: `iocp-bench server --backend epoll${ioUring ? ' (recv/send batched through io_uring)' : ''}`, kind: 'ours', backend: 'epoll' },
    { name: 'node', what: 'iocp-bench server --backend node', kind: 'ours', backend: 'node' },
  ];
  if (ioUring) defs.push({ name: 'epoll-plain', what: 'iocp-bench server --backend epoll --no-io-uring', kind: 'ours', backend: 'epoll', args: ['--no-io-uring'] });
  if (cBin) {
    defs.push({ name: 'c', what: 'refbench echo_server -t 2 (C, epoll)', kind: 'c', bin: join(cBin, 'echo_server') });
    defs.push({ name: 'c-shared', what: 'refbench echo_server -t 2 -m shared (C, one epoll set)', kind: 'c', bin: join(cBin, 'echo_server'), args: ['-m', 'shared'] });
    if (existsSync(join(cBin, 'uring_echo_server')))
      defs.push({ name: 'c-uring', what: 'refbench uring_echo_server -t 2 (C, io_uring: multishot, provided buffers)', kind: 'c', bin: join(cBin, 'uring_echo_server') });
  }
  defs.push({ name: 'floor', what: 'koffi floor: the C server design in JS over koffi', kind: 'floor', script: join(root, 'bench/lib/koffi-floor.mjs') });
  if (uringFloor) defs.push({ name: 'uring-floor', what: 'koffi uring floor: the c-uring design in JS over koffi', kind: 'floor', script: join(root, 'bench/lib/koffi-uring-floor.mjs') });
  if (refDir) defs.push({ name: 'node-ref', what: 'refbench node_echo.mjs (net, pipe)', kind: 'node-ref', script: join(refDir, 'node_echo.mjs') });
  return defs.map((d) => ({ ...d, root }));
}

/**
 * The servers of a cell-round in the order they are measured. This machine's speed drifts by
 * 10-30% over a minute or so, and a round of six servers lasts about a minute, so a ratio is
 * only as good as the distance between its two samples. The order is a fixed chain in which each
 * ratio judged to within a few percent is between neighbours (`c`, `epoll`, `c-uring`: ×C and
 * ×uring), the floor sits next to C (floor ×C), the io_uring floor next to c-uring (uring-floor
 * ×uring) and the plain `net` server next to the node backend, which has two servers between it
 * and epoll (its ×node target, 2×, had margins of 17% and more in runs 19-20, beyond the
 * drift); odd rounds walk the chain forwards and even rounds
 * backwards, so that neither server of a pair is always measured first. Names outside the chain
 * follow it, in the order given.
 */
const MEASURE_CHAIN = ['node-ref', 'node', 'floor', 'c', 'epoll', 'c-uring', 'uring-floor', 'c-shared', 'epoll-plain'];

export function measureOrder(names, run) {
  const chain = MEASURE_CHAIN.filter((n) => names.includes(n));
  if (run % 2 === 0) chain.reverse();
  return [...chain, ...names.filter((n) => !MEASURE_CHAIN.includes(n))];
}

async function startOurs(def, extraArgs) {
  const args = [join(def.root, 'bin/iocp-bench.js'), 'server', '--port', '0', '--stats-port', '0', '--json', '--backend', def.backend, ...(def.args ?? []), ...extraArgs];
  const child = spawn(process.execPath, args, { cwd: def.root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const lines = lineReader(child.stdout);
  let first;
  try {
    first = await lines.next(15_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${def.name}: no start-up line (${e.message}); stderr: ${stderr.trim()}`);
  }
  let info;
  try {
    info = JSON.parse(first ?? '');
  } catch {
    child.kill('SIGKILL');
    throw new Error(`${def.name}: start-up line is not JSON: ${first}; stderr: ${stderr.trim()}`);
  }
  if (info.event !== 'listening') {
    child.kill('SIGKILL');
    throw new Error(`${def.name}: unexpected start-up line ${first}`);
  }
  return {
    name: def.name,
    pid: child.pid,
    port: info.listen.port,
    statsUrl: info.stats ?? null,
    info,
    child,
    async stats() {
      if (!info.stats) return null;
      const r = await fetch(info.stats);
      return r.json();
    },
    async stop() {
      child.kill('SIGTERM');
      const exit = await waitExit(child, 30_000);
      let stopped = null;
      for (;;) {
        const l = await lines.next(2000).catch(() => null);
        if (l === null) break;
        try {
          const j = JSON.parse(l);
          if (j.event === 'stopped') stopped = j;
        } catch {
          /* not ours */
        }
      }
      return { ...exit, stopped, stderr: stderr.trim() };
    },
  };
}

async function startRef(def, argv) {
  const port = await freePort();
  const child = spawn(argv[0], [...argv.slice(1), ...(def.kind === 'c' ? ['-p', String(port), '-t', '2'] : ['--port', String(port)]), ...(def.args ?? [])], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  if (!(await waitPort(port, child))) {
    child.kill('SIGKILL');
    throw new Error(`${def.name}: did not come up on port ${port}; stderr: ${stderr.trim()}`);
  }
  await sleep(200);
  return {
    name: def.name,
    pid: child.pid,
    port,
    statsUrl: null,
    info: null,
    child,
    async stats() {
      return null;
    },
    async stop() {
      child.kill('SIGTERM');
      const exit = await waitExit(child, 10_000);
      return { ...exit, stopped: null, stderr: stderr.trim() };
    },
  };
}

/** Starts one server; extraArgs go to our server only. */
export function startServer(def, extraArgs = []) {
  if (def.kind === 'ours') return startOurs(def, extraArgs);
  if (def.kind === 'c') return startRef(def, [def.bin]);
  return startRef(def, [process.execPath, def.script]);
}

/** Problems a stopped server reports about itself (our servers only): lifetime faults, leaks. */
export function serverFaults(name, exit) {
  const faults = [];
  if (exit.killed) faults.push(`${name}: did not stop within the timeout (SIGKILL)`);
  const s = exit.stopped?.stats;
  if (exit.stopped) {
    if (exit.code !== 0) faults.push(`${name}: exit code ${exit.code} (not every session freed)`);
    if (exit.stopped.drained === false) faults.push(`${name}: did not drain at stop`);
    if (s?.staleCompletions) faults.push(`${name}: ${s.staleCompletions} stale completions`);
    if (s?.extra?.doubleFrees) faults.push(`${name}: ${s.extra.doubleFrees} double frees`);
    if (s && s.sessions.accepted !== s.sessions.freed) faults.push(`${name}: accepted ${s.sessions.accepted} != freed ${s.sessions.freed}`);
  }
  return faults;
}
