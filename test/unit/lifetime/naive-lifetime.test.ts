// The naive lifetime is the tutorial's bug, kept on purpose: it takes no references, posts the
// echo's send and the next receive together, frees a session on its first failed or zero-byte
// completion whatever is still pending, and acts on completions without checking their
// generation, so a late completion frees again (a counted double free) or lands on the next session.
import { describe, expect, it } from 'vitest';
import { POST_PENDING } from '../../../src/server/completion.js';
import { C_DOUBLE_FREES, C_FREED, C_STALE } from '../../../src/server/counters.js';
import { STATE_FREE, STATE_OPEN } from '../../../src/server/sessionTable.js';
import { makeRig } from '../../helpers/fakePort.js';

const STATUS_CONNECTION_RESET = 0xc000020d | 0;

/** A naive session with a send [0,10) and a receive [10, 1024) both pending. */
function busy(capacity = 4) {
  const r = makeRig({ lifetime: 'naive', capacity });
  const s = r.accept();
  r.port.answers.push(() => POST_PENDING);
  r.complete('recv', s.slot, s.gen, 10);
  return { r, ...s };
}

describe('naive lifetime', () => {
  it('posts the send and the next receive together, holding no reference for either', () => {
    const { r, slot } = busy();
    const [first, send, recv] = r.port.posts();
    expect(first!.refsAtCall).toBe(1); // only the accepting path's, which is never dropped
    expect([send!.kind, send!.off, send!.len, send!.refsAtCall]).toEqual(['send', 0, 10, 1]);
    expect([recv!.kind, recv!.off, recv!.len, recv!.echoAtOnce, recv!.refsAtCall]).toEqual(['recv', 10, 1014, false, 1]);
    expect(r.refs(slot)).toBe(1);
  });

  it('frees on a failed receive while the send is pending, then frees again on the send’s completion', () => {
    const { r, slot, gen } = busy();
    r.complete('recv', slot, gen, 0, STATUS_CONNECTION_RESET);
    expect(r.port.calls.filter((c) => c.kind === 'closeHandle')).toEqual([{ kind: 'closeHandle', slot, rst: false, refsAtCall: 1 }]);
    expect(r.table.state(slot)).toBe(STATE_FREE);
    expect(r.table.generation(slot)).toBe(gen + 1);
    expect(r.counters[C_FREED]).toBe(1);

    r.complete('send', slot, gen, 0, STATUS_CONNECTION_RESET);
    expect(r.counters[C_STALE]).toBe(1); // counted, but acted on all the same
    expect(r.port.count('closeHandle')).toBe(2);
    expect(r.counters[C_FREED]).toBe(1);
    expect(r.counters[C_DOUBLE_FREES]).toBe(1);
    expect(r.table.live()).toBe(0);
  });

  it('frees on a failed send while the receive is pending', () => {
    const { r, slot, gen } = busy();
    r.complete('send', slot, gen, 4, STATUS_CONNECTION_RESET);
    expect(r.port.count('closeHandle')).toBe(1);
    expect(r.table.state(slot)).toBe(STATE_FREE);
    expect(r.counters[C_FREED]).toBe(1);
  });

  it('frees on a zero-byte receive (the FIN) at once: no FIN of ours, no wait for the send', () => {
    const { r, slot, gen } = busy();
    r.complete('recv', slot, gen, 0);
    expect(r.port.count('shutdownSend')).toBe(0);
    expect(r.port.count('closeHandle')).toBe(1);
    expect(r.table.state(slot)).toBe(STATE_FREE);
  });

  it('a successful echo frees nothing', () => {
    const { r, slot, gen } = busy();
    r.complete('send', slot, gen, 10);
    r.complete('recv', slot, gen, 5);
    expect(r.port.count('closeHandle')).toBe(0);
    expect(r.table.state(slot)).toBe(STATE_OPEN);
    expect(r.port.lastPost('send')).toMatchObject({ off: 10, len: 5 });
  });

  it('a late completion of a freed session lands on the next session of its slot', () => {
    const { r, slot, gen } = busy(1);
    r.complete('recv', slot, gen, 0, STATUS_CONNECTION_RESET); // freed, its send still pending
    const next = r.accept();
    expect(next).toEqual({ slot, gen: gen + 1 });
    const before = r.ring(slot);

    r.complete('recv', slot, gen, 7); // the old generation's receive, acted on
    expect(r.counters[C_STALE]).toBe(1);
    expect(r.ring(slot)).not.toEqual(before);
    const send = r.port.lastPost('send');
    expect([send.slot, send.gen, send.len]).toEqual([slot, gen, 7]); // posted for the freed session's generation
    expect(r.table.state(slot)).toBe(STATE_OPEN);
  });

  it('close-all cancels what is pending and leaves the freeing to the completions', () => {
    const { r, slot, gen } = busy();
    r.engine.closeAll();
    expect(r.port.calls.filter((c) => c.kind === 'cancel')).toEqual([{ kind: 'cancel', slot, abortive: false }]);
    expect(r.port.count('closeHandle')).toBe(0);
    r.complete('recv', slot, gen, 0, STATUS_CONNECTION_RESET);
    r.complete('send', slot, gen, 0, STATUS_CONNECTION_RESET);
    expect(r.counters[C_FREED]).toBe(1);
    expect(r.counters[C_DOUBLE_FREES]).toBe(1);
  });
});
