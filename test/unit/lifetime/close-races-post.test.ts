// Lifetime rule 3: a close that lands while an operation is being posted (on another worker, after
// the post was decided but before the OS has it) is caught by re-checking the state after the
// post, which cancels again; otherwise the operation would stay pending on a closing session.
import { describe, expect, it } from 'vitest';
import { POST_PENDING } from '../../../src/server/completion.js';
import { makeRig, type Rig } from '../../helpers/fakePort.js';

/** An answer that closes the session from inside the post, then reports it pending. */
function closeDuringPost(r: Rig, marks: number[]) {
  return (c: { slot: number }) => {
    r.engine.closeSession(c.slot, true);
    marks.push(r.port.calls.length); // everything recorded from here on came after the OS call
    return POST_PENDING;
  };
}

describe('a close racing a post', () => {
  it('the receive posted at accept is cancelled after the post returns', () => {
    const r = makeRig();
    const marks: number[] = [];
    r.port.answers.push(closeDuringPost(r, marks));
    r.accept();
    const after = r.port.calls.slice(marks[0]);
    expect(after.filter((c) => c.kind === 'cancel')).toHaveLength(1);
  });

  it('a send that goes pending is cancelled after the post returns', () => {
    const r = makeRig();
    const { slot, gen } = r.accept();
    const marks: number[] = [];
    r.port.answers.push(closeDuringPost(r, marks));
    r.complete('recv', slot, gen, 10);
    const after = r.port.calls.slice(marks[0]);
    expect(after.some((c) => c.kind === 'cancel')).toBe(true);
    expect(r.port.posts('recv')).toHaveLength(1); // nothing new is posted on a closing session
  });
});
