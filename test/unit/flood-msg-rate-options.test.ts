// --msg-rate and --pipeline: read by the command, bounded by resolveFloodOptions() with one-line
// usage errors; open loop runs graceful connections only, with whole writes.
import { describe, expect, it } from 'vitest';
import { resolveFloodOptions } from '../../src/client/options.js';
import { parseFloodArgv } from '../helpers/floodArgv.js';

const resolve = (argv: string[]) => resolveFloodOptions(parseFloodArgv(['--seed', '7', ...argv]));

describe('--msg-rate options', () => {
  it('is off (closed loop) by default, with a pipeline of 1', () => {
    expect(resolve([])).toMatchObject({ msgRate: 0, pipeline: 1 });
  });

  it('reads counts; open loop runs graceful connections only', () => {
    const o = resolve(['--msg-rate', '20k', '--pipeline', '4']);
    expect(o).toMatchObject({ msgRate: 20_000, pipeline: 4 });
    expect(Object.entries(o.mix).filter(([, w]) => w > 0)).toEqual([['graceful', 1]]);
    expect(resolve(['--msg-rate', '100m']).msgRate).toBe(100_000_000);
    expect(resolve(['--msg-rate', '1', '--mix', 'graceful=3']).msgRate).toBe(1);
  });

  it.each([
    [['--msg-rate', '100000001'], /^--msg-rate: must be a whole number in 1\.\.100000000 \(got "100000001"\)$/],
    [['--msg-rate', '1.5'], /^--msg-rate: not a whole number \(got "1\.5"\)$/],
    [['--msg-rate', 'fast'], /^--msg-rate: /],
    [['--msg-rate', '10', '--pipeline', '0'], /^--pipeline: must be a whole number in 1\.\.1024 \(got "0"\)$/],
    [['--pipeline', '4'], /^--pipeline: only with --msg-rate \(got "4"\)$/],
    [['--msg-rate', '10', '--mix', 'graceful,idle'], /^--mix: with --msg-rate only graceful connections run \(got "idle"\)$/],
    [['--msg-rate', '10', '--split'], /^--split: not with --msg-rate: open-loop frames are written whole$/],
  ])('%j is refused in one line', (argv, message) => {
    expect(() => resolve(argv)).toThrow(message);
  });

  it('a library caller gets the same bounds', () => {
    expect(() => resolveFloodOptions({ msgRate: -1 })).toThrow(/^--msg-rate: must be a whole number in 1\.\.100000000 \(got "-1"\)$/);
    expect(resolveFloodOptions({ msgRate: 0 }).msgRate).toBe(0);
  });
});
