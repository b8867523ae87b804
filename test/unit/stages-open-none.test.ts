// --stages that would open no connection are a usage error, not a run that passes with nothing
// measured: every target 0, or a sharded plan whose largest target leaves some shards none.
import { describe, expect, it } from 'vitest';
import { resolveFloodOptions } from '../../src/client/options.js';
import { UsageError } from '../../src/errors.js';

const stages = (...t: [number, number][]) => t.map(([durationMs, target]) => ({ durationMs, target }));

describe('--stages that open no connection', () => {
  it('every target 0: a usage error', () => {
    expect(() => resolveFloodOptions({ target: '127.0.0.1:9', stages: stages([1000, 0]) })).toThrow(
      new UsageError('--stages: every stage has target 0: no connection would open (got "0")'),
    );
    expect(() => resolveFloodOptions({ target: '127.0.0.1:9', stages: stages([1000, 0], [500, 0]) })).toThrow(UsageError);
    // A ramp down to 0 is fine.
    expect(resolveFloodOptions({ target: '127.0.0.1:9', stages: stages([1000, 5], [500, 0]) }).connections).toBe(5);
  });

  it('sharded: the largest target must give every shard one', () => {
    const shard = { index: 3, count: 3 };
    expect(() => resolveFloodOptions({ target: '127.0.0.1:9', seed: 1, shard, stages: stages([1000, 2], [1000, 0]) })).toThrow(
      new UsageError('--shard: 3 shards need a --stages target of at least 3, one connection each (below it, some shards open none) (got "2,0")'),
    );
    const ok = resolveFloodOptions({ target: '127.0.0.1:9', seed: 1, shard, stages: stages([1000, 3], [1000, 0]) });
    expect(ok.stages.map((s) => s.target)).toEqual([1, 0]);
  });
});
