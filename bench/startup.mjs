// node bench/startup.mjs [--baseline <git ref>] [--rounds N]
//
// Where the command's start-up time goes, against an earlier build of itself in the same run:
// `--version`, `--help`, and the time to the flood's first line (its header, printed as soon as
// the target is known), each for this checkout and for the baseline ref (built into a temporary
// git worktree that shares this checkout's node_modules), beside plain `node -e 0`. Runs
// alternate between the two builds; medians over the rounds; ratios to the baseline.
//
// The default baseline is the last commit before the start-up work (lazy-loaded commands, the
// bin's own --version): the command line as it was when the start-up was first measured.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { baseline: { type: 'string', default: 'd0c5e65' }, rounds: { type: 'string', default: '15' } } });
const ROUNDS = Number(values.rounds);
const HERE = path.resolve(new URL('..', import.meta.url).pathname);

const base = mkdtempSync(path.join(tmpdir(), 'iocp-bench-startup-'));
const tree = path.join(base, 'tree');
execFileSync('git', ['worktree', 'add', '--detach', tree, values.baseline], { cwd: HERE, stdio: 'ignore' });
try {
  symlinkSync(path.join(HERE, 'node_modules'), path.join(tree, 'node_modules'));
  execFileSync(process.execPath, [path.join(HERE, 'node_modules/typescript/bin/tsc'), '-p', path.join(tree, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (!existsSync(path.join(HERE, 'dist/cli.js'))) throw new Error('build this checkout first (npm run build)');

  /** ms from spawn to exit, or to the first stdout line matching `until`, then killed. */
  const time = (args, until) =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        resolve(performance.now() - t0);
      };
      child.stdout.on('data', (c) => {
        out += c;
        if (until && until.test(out)) {
          finish();
          child.kill('SIGKILL');
        }
      });
      child.on('exit', (code) => (until && !done ? reject(new Error(`${args.join(' ')} exited ${code} before its first line`)) : finish()));
    });

  const cases = {
    '--version': { args: ['--version'] },
    '--help': { args: ['--help'] },
    'flood, first line': { args: ['flood', '-c', '1', '-n', '1', '--no-progress'], until: /iocp-bench flood -> / },
  };
  const builds = { baseline: path.join(tree, 'bin/iocp-bench.js'), now: path.join(HERE, 'bin/iocp-bench.js') };
  const rows = { 'node -e 0': [] };
  for (const c of Object.keys(cases)) for (const b of Object.keys(builds)) rows[`${c} (${b})`] = [];
  for (let r = 0; r < ROUNDS; r++) {
    rows['node -e 0'].push(await time(['-e', '0']));
    const order = r % 2 ? ['now', 'baseline'] : ['baseline', 'now'];
    for (const [name, c] of Object.entries(cases))
      for (const b of order) rows[`${name} (${b})`].push(await time([builds[b], ...c.args], c.until));
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const floor = med(rows['node -e 0']);
  console.log(`start-up, medians of ${ROUNDS} alternating rounds; baseline ${values.baseline} (${execFileSync('git', ['rev-parse', '--short', values.baseline], { cwd: HERE, encoding: 'utf8' }).trim()})`);
  console.log(`node -e 0: ${floor.toFixed(0)} ms`);
  console.log('case                  baseline ms   now ms   now/baseline   own time now/baseline');
  for (const name of Object.keys(cases)) {
    const b = med(rows[`${name} (baseline)`]);
    const n = med(rows[`${name} (now)`]);
    console.log(`${name.padEnd(20)} ${b.toFixed(0).padStart(12)} ${n.toFixed(0).padStart(8)} ${(n / b).toFixed(2).padStart(14)} ${((n - floor) / (b - floor)).toFixed(2).padStart(23)}`);
  }
} finally {
  execFileSync('git', ['worktree', 'remove', '--force', tree], { cwd: HERE, stdio: 'ignore' });
  rmSync(base, { recursive: true, force: true });
}
