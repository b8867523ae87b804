// No more client threads than connections: a flood of one connection at a time (or one in all)
// runs on one thread, and its header and result say so.
import { describe, expect, it } from 'vitest';
import { resolveFloodOptions } from '../../src/client/options.js';

describe('client threads beyond the connections', () => {
  it('are not started', () => {
    expect(resolveFloodOptions({ target: '127.0.0.1:9', connections: 1, total: 5, workers: 2 }).workers).toBe(1);
    expect(resolveFloodOptions({ target: '127.0.0.1:9', connections: 100, total: 1, workers: 2 }).workers).toBe(1);
    expect(resolveFloodOptions({ target: '127.0.0.1:9', connections: 3, total: 10, workers: 8 }).workers).toBe(3);
    expect(resolveFloodOptions({ target: '127.0.0.1:9', connections: 100, workers: 2 }).workers).toBe(2);
    // 0: on the calling thread, as asked.
    expect(resolveFloodOptions({ target: '127.0.0.1:9', connections: 1, workers: 0 }).workers).toBe(0);
  });
});
