// Lifetime rule 1: a reference is taken for each operation before the backend is called (another
// worker may run its completion before the call returns), and the accepting path holds one more
// until the first receive is posted.
import { describe, expect, it } from 'vitest';
import { POST_PENDING } from '../../../src/server/completion.js';
import { makeRig } from '../../helpers/fakePort.js';

describe('a reference is taken before every post', () => {
  it('the first receive is posted holding its own reference and the accepting one', () => {
    const r = makeRig();
    const { slot } = r.accept();
    expect(r.port.lastPost('recv').refsAtCall).toBe(2);
    expect(r.refs(slot)).toBe(1); // the accepting path's reference is dropped once the receive is posted
  });

  it('a send, and the receive posted beside it, each hold theirs at the call', () => {
    const r = makeRig();
    const { slot, gen } = r.accept();
    r.port.answers.push(() => POST_PENDING); // the echo's send has to wait
    r.complete('recv', slot, gen, 10);
    // The completing receive still holds its reference while the send is posted.
    expect(r.port.lastPost('send').refsAtCall).toBe(2);
    expect(r.port.lastPost('recv').refsAtCall).toBe(3);
    expect(r.refs(slot)).toBe(2); // one per pending operation: the send and the receive
  });
});
