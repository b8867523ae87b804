// node bench/flood-jit.mjs [--rounds N] [--messages M] [--server epoll|c]
//
// What the flood's compiler setting (src/client/cli/compilerTuning.ts) does to the flood, against
// V8's default in the same run: paired rounds, each a closed-loop flood (100 connections, 64-byte
// frames, 2 client threads) with the setting and one with node's own
// `--max-inlined-bytecode-size-cumulative=920` (V8's default, which the command leaves as it is),
// in alternating order, against one server in its own process: `iocp-bench server --backend
// epoll`, or with `--server c` the reference C epoll server (as `npm run bench` floods it; built
// there into .cache/bench-bin: run `npm run bench` once first). Per round: the whole-run rate,
// the steady rate (the mean of the run's 100 ms intervals after the first 800 ms and before the
// last 300) and the flood's CPU per verified
// message (user + system of the whole process, start-up included, as the process reports it on
// exit). Prints each ratio's median over the rounds and how many rounds the setting won.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCapture } from './lib/procs.mjs';
import { median } from './lib/report.mjs';
import { serverFaults, startServer } from './lib/servers.mjs';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '12' }, messages: { type: 'string', default: '3000' }, server: { type: 'string', default: 'epoll' } } });
const ROUNDS = Number(values.rounds);
const MESSAGES = Number(values.messages);
if (!(Number.isInteger(ROUNDS) && ROUNDS >= 1 && ROUNDS <= 200) || !(Number.isInteger(MESSAGES) && MESSAGES >= 1000 && MESSAGES <= 1e6)) {
  console.error('flood-jit: --rounds a whole number 1..200, --messages 1000..1000000');
  process.exit(2);
}
const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/iocp-bench.js');
const V8_DEFAULT = '--max-inlined-bytecode-size-cumulative=920';
// Each flood reports its own CPU time (every thread's, user + system) as it exits.
const CPU_REPORT = `--import=data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\ncpu-us '+(u.user+u.system)+'\\n')})`;
const { floodCompilerFlags } = await import(join(ROOT, 'dist/client/cli/compilerTuning.js'));
if (floodCompilerFlags(process.versions.v8, []).length === 0) {
  console.error(`flood-jit: the flood sets no compiler flag on this node (${process.version}, V8 ${process.versions.v8}): nothing to compare`);
  process.exit(2);
}

const C_SERVER = join(ROOT, '.cache/bench-bin/echo_server');
if (values.server !== 'epoll' && values.server !== 'c') {
  console.error(`flood-jit: --server epoll or c, not '${values.server}'`);
  process.exit(2);
}
if (values.server === 'c' && !existsSync(C_SERVER)) {
  console.error(`flood-jit: ${C_SERVER} is missing: 'npm run bench' builds it from the reference folder`);
  process.exit(2);
}
const server = await startServer(
  values.server === 'c' ? { name: 'c', kind: 'c', bin: C_SERVER } : { name: 'epoll', kind: 'ours', backend: 'epoll', root: ROOT, args: ['--no-stats'] },
);
const target = `127.0.0.1:${server.port}`;
const args = [target, '--connections', '100', '--total', '100', '--messages', String(MESSAGES), '--size', '64', '--mix', 'graceful=1', '--workers', '2', '--seed', '1', '--interval', '100ms', '--json', '--no-progress'];

async function flood(nodeFlags) {
  const r = await runCapture(process.execPath, [CPU_REPORT, ...nodeFlags, CLI, 'flood', ...args], { timeoutMs: 120_000, clkTck: 100, cwd: ROOT });
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
  const j = line ? JSON.parse(line) : null;
  if (r.code !== 0 || !j || j.verdict !== 'PASS') throw new Error(`flood ${nodeFlags.join(' ')} failed (exit ${r.code}): ${r.stderr.trim().slice(-300)}`);
  const steady = j.samples.filter((s) => s.elapsedMs > 800 && s.elapsedMs <= j.elapsedMs - 300).map((s) => s.messages.perSec);
  const cpuUs = Number(/cpu-us (\d+)/.exec(r.stderr)?.[1]);
  if (!(cpuUs > 0)) throw new Error(`flood ${nodeFlags.join(' ')} reported no CPU time: ${r.stderr.trim().slice(-300)}`);
  if (steady.length === 0) throw new Error(`the flood ran ${j.elapsedMs} ms: too short for a steady rate (raise --messages)`);
  return { whole: j.messages.perSec, steady: steady.reduce((a, b) => a + b, 0) / steady.length, cpuUs: cpuUs / j.messages.verified };
}

const ratios = { whole: [], steady: [], cpuUs: [] };
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 ? ['tuned', 'default'] : ['default', 'tuned'];
    const got = {};
    for (const which of order) got[which] = await flood(which === 'tuned' ? [] : [V8_DEFAULT]);
    for (const k of Object.keys(ratios)) ratios[k].push(got.tuned[k] / got.default[k]);
    const f = (x) => `whole ${Math.round(x.whole)} steady ${Math.round(x.steady)} cpu ${x.cpuUs.toFixed(2)} us/msg`;
    console.log(`round ${round}: tuned ${f(got.tuned)} | default ${f(got.default)}`);
  }
} finally {
  const faults = serverFaults(values.server, await server.stop());
  if (faults.length) console.error(`flood-jit: the server reported: ${faults.join('; ')}`);
}
console.log(`flood with the compiler setting / with V8's default, against the ${values.server} server, medians of ${ROUNDS} paired rounds (node ${process.version}):`);
console.log(`  whole-run rate  ${median(ratios.whole).toFixed(3)}x  (higher in ${ratios.whole.filter((x) => x > 1).length}/${ROUNDS})`);
console.log(`  steady rate     ${median(ratios.steady).toFixed(3)}x  (higher in ${ratios.steady.filter((x) => x > 1).length}/${ROUNDS})`);
console.log(`  CPU per message ${median(ratios.cpuUs).toFixed(3)}x  (lower in ${ratios.cpuUs.filter((x) => x < 1).length}/${ROUNDS})`);
