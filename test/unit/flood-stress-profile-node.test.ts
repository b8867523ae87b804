// The stress profile keeps the embedded server's sends pending with 4 KiB send buffers, which
// the node backend cannot set: `flood --profile stress --backend node` is a usage error naming
// the profile and the way round it (it used to run without them and PASS, saying nothing).
// --send-buffer 0 given beside them runs the profile's flood on node, without; the profile on a
// completion backend, and node without the profile, are unchanged.
import { expect, it } from 'vitest';
import { resolveFloodOptions } from '../../src/client/options.js';
import { parseFloodArgv } from '../helpers/floodArgv.js';

const REFUSED =
  "--profile: stress sets the embedded server's --send-buffer to 4096 to keep its sends pending, which needs a completion backend (epoll or iocp), " +
  'not --backend node; add --send-buffer 0 to run it on node without (got "stress")';

it('--profile stress --backend node: a usage error, at once', () => {
  expect(() => resolveFloodOptions(parseFloodArgv(['--profile', 'stress', '--backend', 'node']))).toThrow(REFUSED);
  expect(() => resolveFloodOptions({ profile: 'stress', server: { backend: 'node' } })).toThrow(REFUSED);
});

it('with --send-buffer 0, on a completion backend, or without the profile: taken', () => {
  expect(resolveFloodOptions(parseFloodArgv(['--profile', 'stress', '--backend', 'node', '--send-buffer', '0'])).server).toStrictEqual({ sendBuffer: 0, backend: 'node' });
  expect(resolveFloodOptions(parseFloodArgv(['--profile', 'stress', '--backend', 'epoll'])).server).toStrictEqual({ sendBuffer: 4096, backend: 'epoll' });
  expect(resolveFloodOptions(parseFloodArgv(['--backend', 'node'])).server).toStrictEqual({ backend: 'node' });
  expect(resolveFloodOptions(parseFloodArgv(['--profile', 'stress', '127.0.0.1:7777'])).server).toStrictEqual({});
});
