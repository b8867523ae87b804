// The table's clock reads milliseconds since its clock origin, and the stopping flag, once set, is seen
// by every view of the table.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionTable } from '../../../src/server/sessionTable.js';

describe('clock and stopping flag', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('now() is the time since the clock origin the table was made with', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_700_000_000_000 });
    const t = new SessionTable(1, 1_700_000_000_000 - 250);
    expect(t.clockOrigin).toBe(1_700_000_000_000 - 250);
    expect(t.now()).toBe(250);
    vi.setSystemTime(1_700_000_001_000);
    expect(t.now()).toBe(1_250);
    expect(new SessionTable(t.sab, t.clockOrigin).now()).toBe(1_250);
    expect(new SessionTable(1).now()).toBe(0); // made now, with the default origin
  });

  it('stopping is false until set, then true for every view', () => {
    const t = new SessionTable(2);
    const worker = new SessionTable(t.sab);
    expect(t.stopping()).toBe(false);
    expect(worker.stopping()).toBe(false);
    t.setStopping();
    expect(t.stopping()).toBe(true);
    expect(worker.stopping()).toBe(true);
  });
});
