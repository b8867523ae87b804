// Each fault of the bug zoo breaks exactly the lifetime rule it is named after, where the refcount
// lifetime keeps it: the same scenario is run on both and only the fault shows the violation.
import { describe, expect, it } from 'vitest';
import { POST_PENDING } from '../../../src/server/completion.js';
import { C_DOUBLE_FREES } from '../../../src/server/counters.js';
import type { Lifetime } from '../../../src/server/types.js';
import { makeRig } from '../../helpers/fakePort.js';

const STATUS_CONNECTION_RESET = 0xc000020d | 0;

/** A send and a receive pending, then the receive fails: how many sockets were closed meanwhile. */
function closesWithSendPending(lifetime: Lifetime): number {
  const r = makeRig({ lifetime });
  const { slot, gen } = r.accept();
  r.port.answers.push(() => POST_PENDING);
  r.complete('recv', slot, gen, 10);
  r.complete('recv', slot, gen, 0, STATUS_CONNECTION_RESET);
  return r.port.count('closeHandle');
}

function refsAtFirstReceive(lifetime: Lifetime): number {
  const r = makeRig({ lifetime });
  r.accept();
  return r.port.lastPost('recv').refsAtCall;
}

function cancelsAfterRacedPost(lifetime: Lifetime): number {
  const r = makeRig({ lifetime });
  let mark = 0;
  r.port.answers.push((c) => {
    r.engine.closeSession(c.slot, true);
    mark = r.port.calls.length;
    return POST_PENDING;
  });
  r.accept();
  return r.port.calls.slice(mark).filter((c) => c.kind === 'cancel').length;
}

function headAfterSendBesideReceive(lifetime: Lifetime): number {
  const r = makeRig({ lifetime, bufferSize: 1024 });
  const { slot, gen } = r.accept();
  r.port.answers.push(() => POST_PENDING);
  r.complete('recv', slot, gen, 100);
  r.complete('send', slot, gen, 100);
  return r.ring(slot).head;
}

function closesOfSlotAtZero(lifetime: Lifetime): { closes: number; doubleFrees: number } {
  const r = makeRig({ lifetime });
  const s = r.table.alloc();
  r.table.release(s); // its last reference is being dropped by another worker
  r.table.free(s); // ... which frees it
  r.table.alloc(); // and the slot is already someone else's
  r.table.release(s);
  r.engine.closeAll();
  return { closes: r.port.count('closeHandle'), doubleFrees: r.counters[C_DOUBLE_FREES]! };
}

describe('bug zoo', () => {
  it('double-release frees the session while its send is still pending', () => {
    expect(closesWithSendPending('refcount')).toBe(0);
    expect(closesWithSendPending('double-release')).toBe(1);
  });

  it('late-acquire posts the first receive without its own reference', () => {
    expect(refsAtFirstReceive('refcount')).toBe(2);
    expect(refsAtFirstReceive('late-acquire')).toBe(1);
  });

  it('no-recheck misses a close that raced the post', () => {
    expect(cancelsAfterRacedPost('refcount')).toBe(1);
    expect(cancelsAfterRacedPost('no-recheck')).toBe(0);
  });

  it('early-rewind rewinds the ring under a posted receive', () => {
    expect(headAfterSendBesideReceive('refcount')).toBe(100);
    expect(headAfterSendBesideReceive('early-rewind')).toBe(0);
  });

  it('revive-zero closes a slot whose count had reached zero', () => {
    expect(closesOfSlotAtZero('refcount')).toEqual({ closes: 0, doubleFrees: 0 });
    expect(closesOfSlotAtZero('revive-zero').closes).toBe(1);
  });
});
