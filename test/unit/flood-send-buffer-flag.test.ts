// flood --send-buffer sets the embedded server's SO_SNDBUF, as the stress profile does (the flag
// the README's bug zoo names was a server flag only, "unknown option" to the flood); with a target
// it is refused like --backend and --lifetime.
import { expect, it } from 'vitest';
import { resolveFloodOptions } from '../../src/client/options.js';
import { parseFloodArgv } from '../helpers/floodArgv.js';

it('--send-buffer 4k: the embedded server gets 4096, a flag given beside the profile overrides it', () => {
  expect(parseFloodArgv(['--send-buffer', '4k'])).toStrictEqual({ server: { sendBuffer: 4096 } });
  expect(resolveFloodOptions(parseFloodArgv(['--send-buffer', '4k'])).server).toStrictEqual({ sendBuffer: 4096 });
  expect(resolveFloodOptions(parseFloodArgv(['--profile', 'stress', '--send-buffer', '0'])).server).toMatchObject({ sendBuffer: 0 });
});

it('--send-buffer with a target, or not a size: a usage error', () => {
  expect(() => resolveFloodOptions(parseFloodArgv(['127.0.0.1:9', '--send-buffer', '4k']))).toThrow(
    '--send-buffer: for the embedded server only, not with a target (got "127.0.0.1:9")',
  );
  expect(() => parseFloodArgv(['--send-buffer', 'lots'])).toThrow('--send-buffer: not a size like 4096 or 4k (got "lots")');
});
