// --stats-port equal to --port is refused where the two listeners would both need the one port
// (the second bind failed as "another process listens there"): the same address; `::` (which
// takes IPv4 too) beside any; `0.0.0.0` beside an IPv4 address. Elsewhere both bind, and it is taken.
import { describe, expect, it } from 'vitest';
import { validateServerOptions } from '../../src/server/validate.js';

const both = (host: string, statsHost: string) => () => validateServerOptions({ host, statsHost, port: 7788, statsPort: 7788 });
const refusal = "--stats-port: is the echo listener's port (--port): give another, or 0 to pick one";

describe('--stats-port equal to --port', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '::1'],
    ['::', '127.0.0.1'],
    ['127.0.0.1', '::'],
    ['0.0.0.0', '127.0.0.1'],
    ['127.0.0.2', '0.0.0.0'],
  ])('--host %s, --stats-host %s: refused', (host, statsHost) => {
    expect(both(host, statsHost)).toThrow(refusal);
  });

  it.each([
    ['127.0.0.1', '127.0.0.2'],
    ['0.0.0.0', '::1'],
    ['::1', '0.0.0.0'],
    ['127.0.0.1', '::1'],
  ])('--host %s, --stats-host %s: taken', (host, statsHost) => {
    expect(both(host, statsHost)).not.toThrow();
  });

  it('port 0 for both: each picks its own', () => {
    expect(() => validateServerOptions({ port: 0, statsPort: 0 })).not.toThrow();
  });
});
