// Closers that own no operation (shutdown, idle scan) take a reference only from a slot that still
// has one: a slot whose count already reached zero is being freed by someone else and is left alone.
import { describe, expect, it } from 'vitest';
import { STATE_OPEN, SessionTable } from '../../../src/server/sessionTable.js';
import { makeRig } from '../../helpers/fakePort.js';

describe('tryAcquire', () => {
  it('refuses a slot at zero and leaves its count at zero', () => {
    const t = new SessionTable(1);
    const s = t.alloc();
    expect(t.release(s)).toBe(true);
    expect(t.tryAcquire(s)).toBe(false);
    expect(t.refs(s)).toBe(0);
  });

  it('takes one more from a slot that has one', () => {
    const t = new SessionTable(1);
    const s = t.alloc();
    expect(t.tryAcquire(s)).toBe(true);
    expect(t.refs(s)).toBe(2);
  });

  it('shutdown leaves a session alone while its last reference is being dropped', () => {
    const r = makeRig();
    const s = r.table.alloc(); // OPEN, about to be freed by the worker that holds its last reference
    r.table.release(s);
    r.engine.closeAll();
    expect(r.table.state(s)).toBe(STATE_OPEN);
    expect(r.port.count('cancel')).toBe(0);
    expect(r.port.count('closeHandle')).toBe(0);
  });
});
