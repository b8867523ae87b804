// What only an open loop has is refused before a closed-loop run (and what it lacks, before an
// open one): `--assert unsent...` would otherwise fail only after the whole run, "not measured",
// and `--hold` beside --msg-rate would be taken and do nothing (its connections are all graceful).
import { describe, expect, it } from 'vitest';
import { resolveFloodOptions } from '../../src/client/options.js';
import { parseFloodArgv } from '../helpers/floodArgv.js';

const resolve = (argv: string[]) => resolveFloodOptions(parseFloodArgv(['--seed', '7', ...argv]));

describe('options only one kind of loop has', () => {
  it('--assert unsent in a closed loop is a usage error, before the run', () => {
    expect(() => resolve(['-n', '20', '-c', '10', '--assert', 'leaks==0, unsent==0'])).toThrow(
      /^--assert: unsent is counted only in an open loop \(--msg-rate\) \(got "unsent==0"\)$/,
    );
    expect(resolve(['-d', '2s', '--msg-rate', '100', '--assert', 'unsent==0']).assertions.map((a) => a.metric)).toEqual(['unsent']);
  });

  it('--hold beside --msg-rate is a usage error; without it an open loop resolves', () => {
    expect(() => resolve(['-d', '2s', '--msg-rate', '100', '--hold', '1s'])).toThrow(/^--hold: not with --msg-rate: an open loop has no idle holders/);
    expect(resolve(['-d', '2s', '--msg-rate', '100']).msgRate).toBe(100);
    expect(resolve(['-n', '20', '--hold', '1s']).idleHoldMs).toEqual({ min: 1000, max: 1000 });
  });
});
