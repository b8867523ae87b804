#!/usr/bin/env node
// The command. A clone of the repository builds dist/ on its first run (the package as installed
// ships it, built): no install script is needed, and npm has none to warn about. A clone whose
// src/ changed since (a git pull) runs the last build, and says so.
import { existsSync, lstatSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
// `--version` alone is answered here, without loading the command line at all.
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
  process.exit(0);
}
const dist = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(dist)) await buildInClone();
else warnIfStale();
const { runCli } = await import(dist.href);
// The bin owns its process: the flood may set the process's compiler flags (compilerTuning.ts).
const code = await runCli(argv, { ownsProcess: true });
process.exitCode = code;
// The process ends here, once what is queued for stdout and stderr is written, rather than after
// Node's own teardown (worker threads, native libraries): a signal during that (timeout's, as a
// run of the same length ends) would end it with the signal's status instead of the result's.
await Promise.all([process.stdout, process.stderr].map(flushed));
process.exit(code);

/**
 * Resolves once what was written to `stream` before is written (or failed): an empty write's
 * callback comes after theirs. As long as Node's own exit would wait, and no longer.
 */
function flushed(stream) {
  if (stream.writableLength === 0 || stream.destroyed) return null;
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/**
 * In a clone (the installed package ships no src/), a file of src/ newer than dist/cli.js (every
 * build writes it) means dist/ is the code of an earlier checkout: one line on stderr, and the run
 * goes on. Not rebuilt here: processes started side by side would build into the same files. Only
 * advice: an entry that cannot be read (an editor's lock link, a file gone meanwhile) is passed
 * over, and Node 20.0, whose readdirSync has no `recursive`, looks at the top of src/ only.
 */
function warnIfStale() {
  const src = fileURLToPath(new URL('../src', import.meta.url));
  let entries;
  try {
    entries = existsSync(src) ? readdirSync(src, { recursive: true }) : [];
  } catch {
    return;
  }
  const built = statSync(dist).mtimeMs;
  for (const f of entries) {
    let changed;
    try {
      changed = lstatSync(join(src, f)).mtimeMs;
    } catch {
      continue;
    }
    if (changed <= built) continue;
    process.stderr.write(`iocp-bench: src/ changed since dist/ was built (${f}); this runs the last build, 'npm run build' updates it\n`);
    return;
  }
}

/** Builds dist/ with the clone's TypeScript, or says in one line why it cannot, and exits. */
async function buildInClone() {
  const fail = (why) => {
    process.stderr.write(`iocp-bench: ${why}\n`);
    process.exit(1);
  };
  const tsconfig = fileURLToPath(new URL('../tsconfig.build.json', import.meta.url));
  if (!existsSync(tsconfig)) fail('dist/ is missing from the installed package: reinstall it');
  process.stderr.write('iocp-bench: building dist/ from src/ (first run in a clone)\n');
  const { createRequire } = await import('node:module');
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    fail("cannot build dist/: typescript is not installed (run 'npm install' first)");
  }
  const { spawnSync } = await import('node:child_process');
  const built = spawnSync(process.execPath, [tsc, '-p', tsconfig], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (built.status !== 0 || !existsSync(dist)) fail("building dist/ failed (see above); 'npm run build' runs the same step");
}
