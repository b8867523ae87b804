// `iocp-bench flood` applies its compiler setting (compilerTuning.ts) before the flood starts its
// client threads: V8 flags set after a thread has compiled its code change nothing for it.
import { expect, it, vi } from 'vitest';

const order: string[] = [];
vi.mock('../../src/client/cli/compilerTuning.js', () => ({
  tuneCompilerForFlood: () => {
    order.push('tune');
    return [];
  },
}));
vi.mock('../../src/client/flood.js', () => ({
  runFlood: () => {
    order.push('run');
    throw new Error('the flood would start here');
  },
}));

it('sets the compiler flags before runFlood()', async () => {
  const { runFloodCommand } = await import('../../src/client/cli/floodAction.js');
  await expect(runFloodCommand(undefined, { progress: false, connections: '1' })).rejects.toThrow('the flood would start here');
  expect(order).toEqual(['tune', 'run']);
});
