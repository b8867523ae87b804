// An accepted connection gets a slot and its first receive, unless the server is stopping (rejected,
// not counted), the table is full (rejected and counted), or the socket cannot be attached (counted
// as accepted, then closed and freed at once with nothing posted); shutdown beginning while the
// first receive is posted resets the new session.
import { describe, expect, it } from 'vitest';
import { POST_PENDING } from '../../../src/server/completion.js';
import { C_ACCEPTED, C_FREED, C_POSTED, C_REJECTED } from '../../../src/server/counters.js';
import { STATE_CLOSING, STATE_FREE } from '../../../src/server/sessionTable.js';
import { makeRig } from '../../helpers/fakePort.js';

describe('accepting a connection', () => {
  it('posts the whole ring as its first receive and keeps that one reference', () => {
    const r = makeRig({ bufferSize: 512 });
    const { slot, gen } = r.accept(42);
    expect(r.port.calls[0]).toEqual({ kind: 'attach', slot, gen, handle: 42 });
    expect(r.port.lastPost('recv')).toMatchObject({ off: 0, len: 512, echoAtOnce: true });
    expect(r.refs(slot)).toBe(1);
    expect(r.counters[C_ACCEPTED]).toBe(1);
  });

  it('while stopping: rejected, and counted neither as accepted nor as rejected', () => {
    const r = makeRig();
    r.table.setStopping();
    r.engine.onAccept(7);
    expect(r.port.calls).toEqual([{ kind: 'reject', handle: 7 }]);
    expect([r.counters[C_ACCEPTED], r.counters[C_REJECTED], r.table.live()]).toEqual([0, 0, 0]);
  });

  it('with the table full: rejected and counted', () => {
    const r = makeRig({ capacity: 2 });
    r.accept();
    r.accept();
    const before = r.port.calls.length;
    r.engine.onAccept(9);
    expect(r.port.calls.slice(before)).toEqual([{ kind: 'reject', handle: 9 }]);
    expect([r.counters[C_ACCEPTED], r.counters[C_REJECTED], r.table.live()]).toEqual([2, 1, 2]);
  });

  it('when attach fails: closed without RST and freed, nothing posted', () => {
    const r = makeRig();
    r.port.attachOk = false;
    r.engine.onAccept(5);
    const slot = 0;
    expect(r.port.calls.map((c) => c.kind)).toEqual(['attach', 'closeHandle']);
    expect(r.port.calls[1]).toEqual({ kind: 'closeHandle', slot, rst: false, refsAtCall: 0 });
    expect(r.table.state(slot)).toBe(STATE_FREE);
    expect(r.table.generation(slot)).toBe(1);
    expect([r.counters[C_ACCEPTED], r.counters[C_FREED], r.counters[C_POSTED], r.table.live()]).toEqual([1, 1, 0, 0]);
  });

  it('when shutdown begins during the first post: the session is reset, its receive cancelled', () => {
    const r = makeRig();
    r.port.answers.push(() => {
      r.table.setStopping();
      return POST_PENDING;
    });
    const { slot, gen } = r.accept();
    expect(r.table.state(slot)).toBe(STATE_CLOSING);
    expect(r.port.calls.filter((c) => c.kind === 'cancel')).toEqual([{ kind: 'cancel', slot, abortive: true }]);
    expect(r.refs(slot)).toBe(1);
    r.complete('recv', slot, gen, 0, 0xc0000120 | 0);
    expect(r.port.calls.at(-1)).toEqual({ kind: 'closeHandle', slot, rst: true, refsAtCall: 0 });
  });
});
