// The bin owns its process, so its flood sets the compiler setting (compilerTuning.ts) once,
// before the run, and a budget on node's own command line is left alone. V8's flags cannot be
// read back from JavaScript: a preloaded module reports every call of v8.setFlagsFromString on
// stderr. (On a V8 the setting was not checked on, floodCompilerFlags() is empty: the bin must
// then set nothing, and this test cannot see whether it owns its process.)
import { expect, it } from 'vitest';
import { floodCompilerFlags } from '../../src/client/cli/compilerTuning.js';
import { runProcess } from '../helpers/cli.js';
import { CLI } from '../helpers/serverProcess.js';

const REPORT_FLAGS =
  "data:text/javascript,import v8 from 'node:v8';import { syncBuiltinESMExports } from 'node:module';" +
  "const set = v8.setFlagsFromString;v8.setFlagsFromString = (f) => { process.stderr.write('v8-flag ' + f + '\\n'); return set(f); };" +
  'syncBuiltinESMExports();';

async function floodThroughBin(nodeFlags: string[]): Promise<{ code: number | null; flags: string[]; output: string }> {
  const r = await runProcess(process.execPath, [...nodeFlags, `--import=${REPORT_FLAGS}`, CLI, 'flood', '-c', '2', '-n', '4', '--no-progress'], 60_000);
  const flags = [...r.stderr.matchAll(/^v8-flag (.*)$/gm)].map((m) => m[1]!);
  return { code: r.code, flags, output: r.stdout + r.stderr };
}

it('the bin sets the flood compiler setting once; a budget on node’s own command line stays', async () => {
  const own = await floodThroughBin([]);
  expect(own.code, own.output).toBe(0);
  expect(own.flags, own.output).toEqual(floodCompilerFlags(process.versions.v8, []));

  const kept = await floodThroughBin(['--max-inlined-bytecode-size-cumulative=920']);
  expect(kept.code, kept.output).toBe(0);
  expect(kept.flags, kept.output).toEqual([]);
}, 120_000);
