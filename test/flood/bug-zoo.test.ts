// The stress profile catches the zoo's faults that show on this machine: against a server that
// rewinds its ring under a posted receive, or releases a reference twice, it FAILs naming the
// symptom; against the refcount lifetime, with the same plan, it PASSes.
import { describe, expect, it } from 'vitest';
import { runFlood } from '../../src/client/flood.js';
import type { Lifetime } from '../../src/server/index.js';

/** The stress profile, shortened: enough for these two faults, which show within a second. */
async function stress(lifetime: Lifetime) {
  return runFlood({ profile: 'stress', durationMs: 4000, seed: 11, server: { lifetime } }).result;
}

describe.runIf(process.platform === 'linux')('flood --profile stress against the bug zoo', () => {
  it('PASSes against the refcount lifetime', async () => {
    const r = await stress('refcount');
    expect(r.reasons).toEqual([]);
    expect(r.verdict).toBe('PASS');
    expect(r.leak.status).toBe('clean');
  });

  it('FAILs against early-rewind, naming the wrong bytes echoed', async () => {
    const r = await stress('early-rewind');
    expect(r.verdict).toBe('FAIL');
    expect(r.faults.duplicated + r.faults.corrupted).toBeGreaterThan(0);
  });

  it('FAILs against double-release, naming stale completions', async () => {
    const r = await stress('double-release');
    expect(r.verdict).toBe('FAIL');
    expect(r.leak.status).toBe('leak');
    expect(r.leak.reasons.join('; ')).toMatch(/stale completion/);
  });
});
