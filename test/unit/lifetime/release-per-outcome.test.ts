// Lifetime rule 2: each operation's reference is released exactly once, whatever its outcome —
// success, a failed completion, or an immediate failure — and the socket is closed and the slot
// freed only when the last one goes.
import { describe, expect, it } from 'vitest';
import { POST_FAILED, POST_PENDING } from '../../../src/server/completion.js';
import { C_DOUBLE_FREES, C_FREED, C_POSTED, C_COMPLETED } from '../../../src/server/counters.js';
import { STATE_FREE } from '../../../src/server/sessionTable.js';
import { makeRig } from '../../helpers/fakePort.js';

const STATUS_CONNECTION_RESET = 0xc000020d | 0;

describe('one release per outcome', () => {
  it('success: a completed echo leaves one reference, for the next receive', () => {
    const r = makeRig();
    const { slot, gen } = r.accept();
    r.port.answers.push((c) => c.len); // the send completes inline with every byte
    r.complete('recv', slot, gen, 10);
    expect(r.refs(slot)).toBe(1);
    expect(r.port.count('closeHandle')).toBe(0);
  });

  it('failed completions with a send and a receive pending: freed once, after the second', () => {
    const r = makeRig();
    const { slot, gen } = r.accept();
    r.port.answers.push(() => POST_PENDING);
    r.complete('recv', slot, gen, 10); // send pending, receive posted beside it
    expect(r.refs(slot)).toBe(2);

    r.complete('recv', slot, gen, 0, STATUS_CONNECTION_RESET);
    expect(r.refs(slot)).toBe(1);
    expect(r.port.count('cancel')).toBe(1); // the pending send is cancelled ...
    expect(r.port.count('closeHandle')).toBe(0); // ... but its memory stays until its completion

    r.complete('send', slot, gen, 10, STATUS_CONNECTION_RESET);
    expect(r.refs(slot)).toBe(0);
    expect(r.port.count('closeHandle')).toBe(1);
    expect(r.table.state(slot)).toBe(STATE_FREE);
    expect(r.counters[C_FREED]).toBe(1);
    expect(r.counters[C_DOUBLE_FREES]).toBe(0);
    expect(r.counters[C_COMPLETED]).toBe(r.counters[C_POSTED]);
  });

  it('an immediate failure is released inline: no completion will come for it', () => {
    const r = makeRig();
    r.port.answers.push(() => POST_FAILED);
    const { slot } = r.accept();
    expect(r.refs(slot)).toBe(0);
    expect(r.port.count('closeHandle')).toBe(1);
    expect(r.table.state(slot)).toBe(STATE_FREE);
    expect(r.counters[C_FREED]).toBe(1);
  });

  it("the peer's FIN with nothing pending: our FIN, then one close", () => {
    const r = makeRig();
    const { slot, gen } = r.accept();
    r.complete('recv', slot, gen, 0);
    expect(r.port.count('shutdownSend')).toBe(1);
    expect(r.port.count('closeHandle')).toBe(1);
    expect(r.refs(slot)).toBe(0);
    expect(r.counters[C_FREED]).toBe(1);
  });

  it('a failed send completion beside a pending receive releases only its own reference', () => {
    const r = makeRig();
    const { slot, gen } = r.accept();
    r.port.answers.push(() => POST_PENDING);
    r.complete('recv', slot, gen, 10);
    r.complete('send', slot, gen, 3, STATUS_CONNECTION_RESET);
    expect(r.refs(slot)).toBe(1); // the receive's
    expect(r.port.count('closeHandle')).toBe(0);
    r.complete('recv', slot, gen, 0, STATUS_CONNECTION_RESET);
    expect(r.port.count('closeHandle')).toBe(1);
    expect(r.counters[C_FREED]).toBe(1);
  });
});
