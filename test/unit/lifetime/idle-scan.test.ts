// The idle scan resets a session once idleTimeoutMs have passed since its last completion (not a
// millisecond sooner), scans at most every min(idleTimeoutMs / 2, 1 s), leaves a session alone that
// completes something while the scan takes its reference, and is off, clock and all, at 0.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { POST_PENDING } from '../../../src/server/completion.js';
import { C_IDLE_CLOSED } from '../../../src/server/counters.js';
import { F_ACTIVE, STATE_CLOSING, STATE_OPEN } from '../../../src/server/sessionTable.js';
import { makeRig } from '../../helpers/fakePort.js';

const EPOCH = 1_700_000_000_000;
const at = (ms: number) => vi.setSystemTime(EPOCH + ms);

describe('idle scan', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: EPOCH });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('resets a session idle for exactly idleTimeoutMs, not one idle a millisecond less', () => {
    const r = makeRig({ idleTimeoutMs: 100, epoch: EPOCH });
    at(1_000);
    const a = r.accept();
    at(1_001);
    const b = r.accept();
    at(1_100);
    r.engine.scanIdle();
    expect(r.table.state(a.slot)).toBe(STATE_CLOSING);
    expect(r.table.state(b.slot)).toBe(STATE_OPEN);
    expect(r.port.calls.filter((c) => c.kind === 'cancel')).toEqual([{ kind: 'cancel', slot: a.slot, abortive: true }]);
    expect(r.counters[C_IDLE_CLOSED]).toBe(1);
  });

  it('counts from the last completion, not from the accept', () => {
    const r = makeRig({ idleTimeoutMs: 100, epoch: EPOCH });
    at(1_000);
    const a = r.accept();
    at(1_050);
    r.port.answers.push((c) => c.len); // the echo's send completes inline
    r.complete('recv', a.slot, a.gen, 3);
    expect(r.table.i32[r.table.base(a.slot) + F_ACTIVE]).toBe(1_050);
    at(1_149);
    r.engine.scanIdle();
    expect(r.table.state(a.slot)).toBe(STATE_OPEN);
    at(1_200);
    r.engine.scanIdle();
    expect(r.table.state(a.slot)).toBe(STATE_CLOSING);
  });

  it('scans again only min(idleTimeoutMs / 2, 1 s) after the last scan', () => {
    for (const [idle, gap] of [
      [100, 50],
      [4_000, 1_000],
    ] as const) {
      const r = makeRig({ idleTimeoutMs: idle, epoch: EPOCH });
      at(10_000);
      const a = r.accept();
      at(10_000 + idle - 1);
      r.engine.scanIdle(); // not idle yet; the last scan is now
      at(10_000 + idle - 1 + gap - 1);
      r.engine.scanIdle(); // idle by now, but too soon to scan
      expect(r.table.state(a.slot)).toBe(STATE_OPEN);
      at(10_000 + idle - 1 + gap);
      r.engine.scanIdle();
      expect(r.table.state(a.slot)).toBe(STATE_CLOSING);
    }
  });

  it('leaves a session alone that completes something while the scan takes its reference', () => {
    const r = makeRig({ idleTimeoutMs: 100, epoch: EPOCH });
    at(1_000);
    const a = r.accept();
    at(1_500);
    const tryAcquire = r.table.tryAcquire.bind(r.table);
    vi.spyOn(r.table, 'tryAcquire').mockImplementation((slot) => {
      r.port.answers.push(() => POST_PENDING);
      r.complete('recv', a.slot, a.gen, 4); // another worker's completion, just before the reference
      return tryAcquire(slot);
    });
    r.engine.scanIdle();
    expect(r.table.state(a.slot)).toBe(STATE_OPEN);
    expect(r.port.count('cancel')).toBe(0);
    expect(r.counters[C_IDLE_CLOSED]).toBe(0);
    expect(r.refs(a.slot)).toBe(2); // the send and the receive: the scan gave its reference back
  });

  it('leaves alone a session whose last reference is being dropped, and does not count it', () => {
    const r = makeRig({ idleTimeoutMs: 100, epoch: EPOCH });
    at(1_000);
    const s = r.table.alloc(); // open, about to be freed by the worker that holds its last reference
    r.table.release(s);
    at(2_000);
    r.engine.scanIdle();
    expect(r.table.state(s)).toBe(STATE_OPEN);
    expect(r.refs(s)).toBe(0);
    expect(r.port.calls).toEqual([]);
    expect(r.counters[C_IDLE_CLOSED]).toBe(0);
  });

  it('at 0 is off: no scan, and completions leave the activity time alone', () => {
    const r = makeRig({ idleTimeoutMs: 0, epoch: EPOCH });
    at(1_000);
    const a = r.accept();
    at(90_000);
    r.port.answers.push((c) => c.len);
    r.complete('recv', a.slot, a.gen, 3);
    expect(r.table.i32[r.table.base(a.slot) + F_ACTIVE]).toBe(1_000);
    at(900_000);
    r.engine.scanIdle();
    expect(r.table.state(a.slot)).toBe(STATE_OPEN);
    expect(r.port.count('cancel')).toBe(0);
  });
});
