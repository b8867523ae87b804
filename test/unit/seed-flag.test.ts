// --seed is a whole number from 0 to 2^32 - 1, and its messages say so (not "a count like 10k").
import { expect, it } from 'vitest';
import { resolveFloodOptions } from '../../src/client/options.js';
import { parseFloodArgv } from '../helpers/floodArgv.js';

it.each([
  ['abc', '--seed: not a whole number (got "abc")'],
  ['1.5', '--seed: not a whole number (got "1.5")'],
  ['10k', '--seed: not a whole number (got "10k")'],
  ['-1', '--seed: must be a whole number in 0..4294967295 (got "-1")'],
])('--seed %s: %s', (raw, message) => {
  expect(() => resolveFloodOptions(parseFloodArgv(['--seed', raw]))).toThrow(message);
});

it('--seed 0 and 4294967295 are seeds', () => {
  expect(resolveFloodOptions(parseFloodArgv(['--seed', '0'])).seed).toBe(0);
  expect(resolveFloodOptions(parseFloodArgv(['--seed', '4294967295'])).seed).toBe(4294967295);
});
