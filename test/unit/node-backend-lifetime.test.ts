// The node backend (Node's net, no completion port) has no reference counts: a lifetime bug asked
// of it would be logged and reported in its stats but never run, and the flood would PASS a bug
// that was not there. Any lifetime but refcount is a usage error there.
import { expect, it } from 'vitest';
import { validateServerOptions } from '../../src/server/validate.js';
import { LIFETIME_FAULTS } from '../../src/server/bugZoo.js';

it.each(['naive', ...LIFETIME_FAULTS])('--backend node --lifetime %s: a usage error', (lifetime) => {
  expect(() => validateServerOptions({ backend: 'node', lifetime: lifetime as never })).toThrow(
    `--lifetime: needs a completion backend (epoll or iocp): the node backend has no reference counts (got "${lifetime}")`,
  );
});

it('refcount on node, and every lifetime on the completion backends, are taken', () => {
  expect(validateServerOptions({ backend: 'node', lifetime: 'refcount' }).lifetime).toBe('refcount');
  for (const lifetime of ['naive', ...LIFETIME_FAULTS]) expect(validateServerOptions({ backend: 'epoll', lifetime: lifetime as never }).lifetime).toBe(lifetime);
});
