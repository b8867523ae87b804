// The idle scan keeps working when the table's 32-bit millisecond clock wraps (after about 24.9
// days of uptime): elapsed times are taken modulo 2^32, so a scan a minute after the wrap still
// resets a session idle since before it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { C_IDLE_CLOSED } from '../../../src/server/counters.js';
import { STATE_CLOSING } from '../../../src/server/sessionTable.js';
import { makeRig } from '../../helpers/fakePort.js';

const ORIGIN = 1_700_000_000_000;
const WRAP = 2 ** 31; // now() turns negative here

describe('idle scan across the clock wrap', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resets a session idle since before the wrap, in a scan after it', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: ORIGIN + WRAP - 5_000 });
    const r = makeRig({ idleTimeoutMs: 30_000, epoch: ORIGIN });
    r.engine.scanIdle(); // a scan just before the wrap
    const s = r.accept();
    vi.setSystemTime(ORIGIN + WRAP + 60_000);
    expect(r.table.now()).toBeLessThan(0);
    r.engine.scanIdle();
    expect(r.table.state(s.slot)).toBe(STATE_CLOSING);
    expect(r.counters[C_IDLE_CLOSED]).toBe(1);
  });
});
