// Lifetime rule 5 (shutdown): close-all resets every open session and cancels what is pending; the
// cancelled completions then free each session exactly once, and the exit sentinel stops the worker.
import { describe, expect, it } from 'vitest';
import { CONTROL_CLOSE_ALL, CONTROL_EXIT, POST_PENDING } from '../../../src/server/completion.js';
import { C_ACCEPTED, C_DOUBLE_FREES, C_FREED, C_POSTED, C_COMPLETED } from '../../../src/server/counters.js';
import { makeRig } from '../../helpers/fakePort.js';

const STATUS_CANCELLED = 0xc0000120 | 0;

describe('shutdown drain', () => {
  it('frees every session once, after its cancelled operations complete', () => {
    const r = makeRig({ capacity: 8 });
    const sessions = [r.accept(), r.accept(), r.accept()];
    const busy = sessions[1]!;
    r.port.answers.push(() => POST_PENDING);
    r.complete('recv', busy.slot, busy.gen, 10); // a send and a receive pending on this one

    r.table.setStopping();
    expect(r.control(CONTROL_CLOSE_ALL)).toBe(true);
    expect(r.port.count('cancel')).toBe(3);
    expect(r.port.count('closeHandle')).toBe(0);

    for (const s of sessions) r.complete('recv', s.slot, s.gen, 0, STATUS_CANCELLED);
    r.complete('send', busy.slot, busy.gen, 0, STATUS_CANCELLED);
    expect(r.table.live()).toBe(0);
    expect(r.counters[C_FREED]).toBe(r.counters[C_ACCEPTED]);
    expect(r.counters[C_DOUBLE_FREES]).toBe(0);
    expect(r.counters[C_COMPLETED]).toBe(r.counters[C_POSTED]);
    expect(r.port.calls.filter((c) => c.kind === 'closeHandle').every((c) => c.rst)).toBe(true);

    // A connection accepted while stopping is rejected, not served.
    const before = r.port.count('reject');
    r.engine.onAccept(999);
    expect(r.port.count('reject')).toBe(before + 1);
    expect(r.control(CONTROL_EXIT)).toBe(false);
  });
});
