// npm run build && node bench/msg-rate.mjs [rate] [seconds] [runs]
//
// Measures whether the flood's open loop keeps a message rate: `iocp-bench flood --msg-rate
// <rate> -d <seconds>` against the embedded server (default 20,000 msg/s for 10 s, 3 runs), one
// line per run: target, achieved, verdict, corrected and service-time p99. Nothing is asserted:
// a shared or loaded machine may miss a high rate; the report (and this script) says by how much.
// Exit status: 0 when every run passed, 1 otherwise.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [rate = '20000', seconds = '10', runs = '3'] = process.argv.slice(2);
let failed = 0;
for (let i = 0; i < Number(runs); i++) {
  const args = ['bin/iocp-bench.js', 'flood', '--msg-rate', rate, '-d', `${seconds}s`, '--json', '--no-progress'];
  const p = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: (Number(seconds) + 60) * 1000 });
  if (p.status === null || !p.stdout.trim()) {
    console.log(`run ${i + 1}: no result (${p.error?.message ?? p.stderr.trim().split('\n')[0]})`);
    failed++;
    continue;
  }
  const r = JSON.parse(p.stdout);
  const { targetPerSec: target, achievedPerSec: got } = r.messages;
  const ms = (us) => `${(us / 1000).toFixed(2)} ms`;
  console.log(
    `run ${i + 1}: target ${target} msg/s, achieved ${got} msg/s (${((100 * got) / target).toFixed(1)}%), ` +
      `${r.messages.verified} verified, ${r.verdict}; p99 round trip ${ms(r.latencyUs.roundTrip.p99)}, service time ${ms(r.latencyUs.serviceTime.p99)}` +
      (r.warnings.length ? `; ${r.warnings.join('; ')}` : ''),
  );
  if (r.verdict !== 'PASS') failed++;
}
process.exitCode = failed ? 1 : 0;
