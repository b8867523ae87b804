// The bin owns its process, so its flood sets the compiler setting (compilerTuning.ts) — once,
// before the run — and a budget on node's own command line is left alone. V8's flags cannot be
// read back from JavaScript: a preloaded module reports every call of v8.setFlagsFromString.
import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';
import { floodCompilerFlags } from '../../src/client/cli/compilerTuning.js';
import { CLI } from '../helpers/serverProcess.js';

const REPORT_FLAGS =
  "data:text/javascript,import v8 from 'node:v8';import { syncBuiltinESMExports } from 'node:module';" +
  "const set = v8.setFlagsFromString;v8.setFlagsFromString = (f) => { process.stderr.write('v8-flag ' + f + '\\n'); return set(f); };" +
  'syncBuiltinESMExports();';

async function floodThroughBin(nodeFlags: string[]): Promise<{ code: number | null; flags: string[]; output: string }> {
  const child = spawn(process.execPath, [...nodeFlags, `--import=${REPORT_FLAGS}`, CLI, 'flood', '-c', '2', '-n', '4', '--no-progress'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(kill);
  const flags = [...output.matchAll(/^v8-flag (.*)$/gm)].map((m) => m[1]!);
  return { code, flags, output };
}

it('the bin sets the flood compiler setting once; a budget on node’s own command line stays', async () => {
  const own = await floodThroughBin([]);
  expect(own.code, own.output).toBe(0);
  expect(own.flags, own.output).toEqual(floodCompilerFlags(process.versions.v8, []));

  const chosen = ['--max-inlined-bytecode-size-cumulative=920'];
  const kept = await floodThroughBin(chosen);
  expect(kept.code, kept.output).toBe(0);
  expect(kept.flags, kept.output).toEqual([]);
}, 120_000);
