// Lifetime rule 4: completions are identified by (slot, generation); one that arrives after its
// session was freed and the slot handed to a new connection is counted as stale and touches nothing.
import { describe, expect, it } from 'vitest';
import { POST_PENDING } from '../../../src/server/completion.js';
import { C_STALE } from '../../../src/server/counters.js';
import { makeRig } from '../../helpers/fakePort.js';

const STATUS_CANCELLED = 0xc0000120 | 0;

describe('completions of an old generation', () => {
  it('are counted and dropped, leaving the slot’s new session alone', () => {
    const r = makeRig({ capacity: 1 });
    const a = r.accept();
    r.port.answers.push(() => POST_PENDING);
    r.complete('recv', a.slot, a.gen, 10);
    r.complete('recv', a.slot, a.gen, 0, STATUS_CANCELLED);
    r.complete('send', a.slot, a.gen, 0, STATUS_CANCELLED);
    const b = r.accept(); // the one slot again, one generation on
    expect(b.slot).toBe(a.slot);
    expect(b.gen).toBe(a.gen + 1);
    const posts = r.port.posts().length;
    const ring = r.ring(b.slot);

    r.complete('recv', a.slot, a.gen, 5); // a late completion of the first session
    expect(r.counters[C_STALE]).toBe(1);
    expect(r.refs(b.slot)).toBe(1); // the new session's receive, untouched
    expect(r.ring(b.slot)).toEqual(ring);
    expect(r.port.posts()).toHaveLength(posts);
    expect(r.port.count('closeHandle')).toBe(1); // only the first session's
  });
});
