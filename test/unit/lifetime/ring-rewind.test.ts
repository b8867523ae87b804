// The echo ring rewinds to its start only when it is empty and no receive is posted into it: a
// receive posted beside a pending send lands at the old tail, and the next send must start there.
import { describe, expect, it } from 'vitest';
import { POST_PENDING } from '../../../src/server/completion.js';
import { makeRig } from '../../helpers/fakePort.js';

describe('ring rewind', () => {
  it('does not rewind while a receive is posted into the ring', () => {
    const r = makeRig({ bufferSize: 1024 });
    const { slot, gen } = r.accept();
    r.port.answers.push(() => POST_PENDING);
    r.complete('recv', slot, gen, 100); // send [0,100) pending, receive posted at 100
    expect(r.port.lastPost('recv').off).toBe(100);
    r.complete('send', slot, gen, 100); // ring empty, but the receive still lands at 100
    expect(r.ring(slot).head).toBe(100);
    r.complete('recv', slot, gen, 50);
    const send = r.port.lastPost('send');
    expect([send.off, send.len]).toEqual([100, 50]);
  });

  it('rewinds an empty ring with nothing posted, so the next receive gets all of it', () => {
    const r = makeRig({ bufferSize: 1024 });
    const { slot, gen } = r.accept();
    r.port.answers.push((c) => c.len); // the send completes inline
    r.complete('recv', slot, gen, 100);
    expect(r.ring(slot).head).toBe(0);
    const recv = r.port.lastPost('recv');
    expect([recv.off, recv.len, recv.echoAtOnce]).toEqual([0, 1024, true]);
  });
});
