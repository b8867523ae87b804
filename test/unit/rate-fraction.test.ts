// --rate takes fractions from the command line, as the library does: 0.5 is one new connection
// every 2 s. A count's whole-number rule would refuse it.
import { expect, it } from 'vitest';
import { resolveFloodOptions } from '../../src/client/options.js';
import { parseFloodArgv } from '../helpers/floodArgv.js';

it('--rate 0.5, 2.5 and 1.5k are read as given; a word is refused in one line', () => {
  expect(parseFloodArgv(['--rate', '0.5']).rate).toBe(0.5);
  expect(parseFloodArgv(['--rate', '2.5']).rate).toBe(2.5);
  expect(parseFloodArgv(['--rate', '1.5k']).rate).toBe(1500);
  expect(parseFloodArgv(['--rate', '0']).rate).toBe(0);
  expect(resolveFloodOptions(parseFloodArgv(['--rate', '0.5', '-d', '2s'])).rate).toBe(0.5);
  expect(() => parseFloodArgv(['--rate', 'fast'])).toThrow(/^--rate: not a rate like 100, 0\.5 or 10k \(got "fast"\)$/);
  expect(() => parseFloodArgv(['--rate', '-1'])).toThrow(/^--rate: not a rate/);
});
