// The flood's compiler setting (compilerTuning.ts): set only on V8 versions it was checked on,
// never over a budget given on node's own command line, only in a process its caller owns, and
// a flag this node knows (an unknown one would print an error line on every flood).
import { spawnSync } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { CHECKED_V8, FLOOD_INLINE_BUDGET, INLINE_BUDGET_FLAG, floodCompilerFlags } from '../../src/client/cli/compilerTuning.js';

const FLAG = `${INLINE_BUDGET_FLAG}=${FLOOD_INLINE_BUDGET}`;
const major = Number(process.versions.v8.split('.')[0]);
const checkedHere = major >= CHECKED_V8.min && major <= CHECKED_V8.max;

describe('floodCompilerFlags', () => {
  it('sets the inlining budget on V8 11 to 13 (Node 20, 22, 24)', () => {
    for (const v of ['11.3.244.8-node.33', '12.4.254.21-node.33', '13.6.233.17-node.40']) expect(floodCompilerFlags(v, [])).toEqual([FLAG]);
  });

  it('leaves a V8 it was not checked on alone', () => {
    for (const v of ['10.2.154.26-node.26', '14.1.0.0', 'garbage', '']) expect(floodCompilerFlags(v, [])).toEqual([]);
  });

  it("leaves a budget given on node's command line, however it is spelled", () => {
    for (const given of ['--max-inlined-bytecode-size-cumulative=920', '--max_inlined_bytecode_size_cumulative=50', '-max-inlined-bytecode-size-cumulative=10']) {
      expect(floodCompilerFlags('11.3.244.8', [given])).toEqual([]);
    }
    // Other flags, the per-function budget among them, change nothing.
    expect(floodCompilerFlags('11.3.244.8', ['--max-old-space-size=4096', '--max-inlined-bytecode-size=100', '--enable-source-maps'])).toEqual([FLAG]);
  });

  it('sets nothing unless the caller owns the process', async () => {
    vi.resetModules();
    const t = await import('../../src/client/cli/compilerTuning.js');
    expect(t.tuneCompilerForFlood()).toEqual([]);
    t.ownProcess();
    expect(t.tuneCompilerForFlood()).toEqual(checkedHere ? [FLAG] : []);
  });

  it.runIf(checkedHere)('is a flag this node accepts without a word on stderr', () => {
    expect(floodCompilerFlags(process.versions.v8, [])).toEqual([FLAG]);
    const r = spawnSync(process.execPath, ['-e', `require('node:v8').setFlagsFromString(${JSON.stringify(FLAG)}); console.log('set')`], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('set');
    // The check itself can fail: a misspelt flag is reported on stderr.
    const bad = spawnSync(process.execPath, ['-e', `require('node:v8').setFlagsFromString('${INLINE_BUDGET_FLAG}-typo=1')`], { encoding: 'utf8', timeout: 20_000 });
    expect(bad.stderr).toMatch(/unrecognized flag/);
  });
});
