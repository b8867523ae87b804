// node bench/flood-jit.mjs [--rounds N] [--messages M]
//
// What the flood's compiler setting (src/client/cli/compilerTuning.ts) does to the flood, against
// V8's default in the same run: paired rounds, each a closed-loop flood (100 connections, 64-byte
// frames, 2 client threads) with the setting and one with node's own
// `--max-inlined-bytecode-size-cumulative=920` (V8's default, which the command leaves as it is),
// in alternating order, against one server (`iocp-bench server --backend epoll`, its own
// process). Per round: the whole-run rate, the steady rate (the mean of the run's 100 ms
// intervals after the first 800 ms and before the last 300) and the flood's CPU per verified
// message (user + system, from /proc, start-up included). Prints each ratio's median over the
// rounds and how many rounds the setting won.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCapture } from './lib/procs.mjs';
import { startServer } from './lib/servers.mjs';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '12' }, messages: { type: 'string', default: '3000' } } });
const ROUNDS = Number(values.rounds);
const MESSAGES = Number(values.messages);
if (!(ROUNDS >= 1 && ROUNDS <= 200) || !(MESSAGES >= 1000 && MESSAGES <= 1e6)) {
  console.error('flood-jit: --rounds 1..200 and --messages 1000..1e6');
  process.exit(2);
}
const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/iocp-bench.js');
const CLK_TCK = 100;
const V8_DEFAULT = '--max-inlined-bytecode-size-cumulative=920';

const server = await startServer({ name: 'epoll', kind: 'ours', backend: 'epoll', root: ROOT, args: ['--no-stats'] });
const target = `127.0.0.1:${server.port}`;
const args = [target, '--connections', '100', '--total', '100', '--messages', String(MESSAGES), '--size', '64', '--mix', 'graceful=1', '--workers', '2', '--seed', '1', '--interval', '100ms', '--json', '--no-progress'];

async function flood(nodeFlags) {
  const r = await runCapture(process.execPath, [...nodeFlags, CLI, 'flood', ...args], { timeoutMs: 120_000, clkTck: CLK_TCK, cwd: ROOT });
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
  const j = line ? JSON.parse(line) : null;
  if (r.code !== 0 || !j || j.verdict !== 'PASS') throw new Error(`flood ${nodeFlags.join(' ')} failed (exit ${r.code}): ${r.stderr.trim().slice(-300)}`);
  const steady = j.samples.filter((s) => s.elapsedMs > 800 && s.elapsedMs <= j.elapsedMs - 300).map((s) => s.messages.perSec);
  if (steady.length === 0) throw new Error(`the flood ran ${j.elapsedMs} ms: too short for a steady rate (raise --messages)`);
  return { whole: j.messages.perSec, steady: steady.reduce((a, b) => a + b, 0) / steady.length, cpuUs: (r.cpuSeconds * 1e6) / j.messages.verified };
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
  await server.stop();
}
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`flood with the compiler setting / with V8's default, medians of ${ROUNDS} paired rounds (node ${process.version}):`);
console.log(`  whole-run rate  ${med(ratios.whole).toFixed(3)}x  (higher in ${ratios.whole.filter((x) => x > 1).length}/${ROUNDS})`);
console.log(`  steady rate     ${med(ratios.steady).toFixed(3)}x  (higher in ${ratios.steady.filter((x) => x > 1).length}/${ROUNDS})`);
console.log(`  CPU per message ${med(ratios.cpuUs).toFixed(3)}x  (lower in ${ratios.cpuUs.filter((x) => x < 1).length}/${ROUNDS})`);
