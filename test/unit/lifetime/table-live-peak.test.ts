// The table counts live sessions up on alloc and down on free, and its peak is the highest live
// count ever reached: it rises with live and never falls.
import { describe, expect, it } from 'vitest';
import { SessionTable } from '../../../src/server/sessionTable.js';

describe('live and peak', () => {
  it('follow allocs and frees', () => {
    const t = new SessionTable(4);
    const trace: Array<[number, number]> = [];
    const note = () => trace.push([t.live(), t.peak()]);
    const a = t.alloc();
    note();
    const b = t.alloc();
    note();
    const c = t.alloc();
    note();
    t.free(b);
    note();
    t.free(a);
    note();
    t.alloc(); // live 2, below the peak of 3
    note();
    t.alloc();
    t.alloc(); // live 4: a new peak
    note();
    t.free(c);
    note();
    expect(trace).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [2, 3],
      [1, 3],
      [2, 3],
      [4, 4],
      [3, 4],
    ]);
  });
});
