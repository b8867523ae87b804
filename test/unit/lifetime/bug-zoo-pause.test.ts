// The bug zoo's widened race window (a short sleep) is taken only by the faults that are races,
// where their bug lives; the refcount lifetime, and the faults that are not races, never pause.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONTROL_CLOSE_ALL, POST_PENDING } from '../../../src/server/completion.js';
import { BugZoo } from '../../../src/server/bugZoo.js';
import type { Lifetime } from '../../../src/server/types.js';
import { makeRig } from '../../helpers/fakePort.js';

const STATUS_CONNECTION_RESET = 0xc000020d | 0;

/** Pauses taken by: accept + first post, an echo with a pending send, close-all. */
function pauses(lifetime: Lifetime): { accept: number; echo: number; closeAll: number } {
  const widen = vi.spyOn(BugZoo.prototype, 'widen').mockImplementation(() => {});
  const r = makeRig({ lifetime });
  const { slot, gen } = r.accept();
  const accept = widen.mock.calls.length;
  r.port.answers.push(() => POST_PENDING);
  r.complete('recv', slot, gen, 10);
  r.complete('send', slot, gen, 10);
  const echo = widen.mock.calls.length - accept;
  r.control(CONTROL_CLOSE_ALL);
  r.complete('recv', slot, gen, 0, STATUS_CONNECTION_RESET);
  const closeAll = widen.mock.calls.length - accept - echo;
  widen.mockRestore();
  return { accept, echo, closeAll };
}

describe('bug zoo pauses', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('never with refcount, double-release or early-rewind', () => {
    for (const lifetime of ['refcount', 'double-release', 'early-rewind'] as const) {
      expect(pauses(lifetime), lifetime).toEqual({ accept: 0, echo: 0, closeAll: 0 });
    }
  });

  it('late-acquire and no-recheck pause at every post, revive-zero when a closer takes its reference', () => {
    // accept: the first receive; echo: the send and the receive beside it.
    expect(pauses('late-acquire')).toEqual({ accept: 1, echo: 2, closeAll: 0 });
    expect(pauses('no-recheck')).toEqual({ accept: 1, echo: 2, closeAll: 0 });
    expect(pauses('revive-zero')).toEqual({ accept: 0, echo: 0, closeAll: 1 });
  });
});
