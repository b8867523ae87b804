// One rule for "this machine's loopback", by name: the stats endpoint's warning and the leak
// check's same-host test both use it.
import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../src/units.js';

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true], ['LOCALHOST', true], ['::1', true], ['[::1]', true], ['127.0.0.1', true], ['127.3.4.5', true],
    ['::ffff:127.0.0.1', true], ['[::FFFF:127.0.0.2]', true],
    ['0.0.0.0', false], ['::', false], ['10.0.0.1', false], ['128.0.0.1', false], ['example.com', false], ['::ffff:10.0.0.1', false],
  ])('%s: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});
