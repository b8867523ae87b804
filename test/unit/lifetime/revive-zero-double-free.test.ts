// With the bug zoo's revive-zero, a closer that takes its reference from a slot just freed by
// another worker drops it again and frees the slot a second time: the engine counts a double free.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BugZoo } from '../../../src/server/bugZoo.js';
import { C_DOUBLE_FREES, C_FREED } from '../../../src/server/counters.js';
import { STATE_FREE } from '../../../src/server/sessionTable.js';
import { makeRig } from '../../helpers/fakePort.js';

describe('revive-zero', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('frees a slot twice when its last reference goes while close-all looks at it', () => {
    const r = makeRig({ lifetime: 'revive-zero' });
    const s = r.table.alloc(); // open; its last reference belongs to another worker
    vi.spyOn(BugZoo.prototype, 'widen').mockImplementation(() => {
      // ... which drops it and frees the slot while the closer's window is open.
      r.table.release(s);
      r.table.free(s);
    });
    r.engine.closeAll();
    expect(r.table.state(s)).toBe(STATE_FREE);
    expect(r.port.count('closeHandle')).toBe(1);
    expect(r.counters[C_FREED]).toBe(0);
    expect(r.counters[C_DOUBLE_FREES]).toBe(1);
  });
});
