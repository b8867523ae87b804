// The native loop keeps a precise timer's fractional deadline: a wait with one due within it arms
// the wake timer (the timerfd) for that deadline, less a spin of at most 100 µs — never a whole
// millisecond later, as epoll_wait's own timeout would — and timers fire in deadline order, none
// before its deadline; an ordinary timer arms nothing. Driven on a mocked clock that moves 1 µs a
// read, with a fake epoll_wait that returns at the wake timer's expiry, or else at its timeout (a
// real wait's timing is not asserted here).
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventLoop, type LoopOwner, type WakeUp } from '../../src/client/transport/eventLoop.js';
import type { Libc } from '../../src/native/linux/libc.js';

const owner: LoopOwner = { beforeWait: () => undefined, handleEvents: () => undefined, dispose: () => undefined };
let now = 0;

afterEach(() => vi.restoreAllMocks());

function tickingClock(start: number): void {
  now = start;
  vi.spyOn(performance, 'now').mockImplementation(() => (now += 0.001));
}

describe('native loop sub-millisecond timers', () => {
  it('arms the wake timer for each timer\'s own deadline and fires them in order, none early', () => {
    tickingClock(1000);
    /** Where the wake timer was armed to expire, and how far ahead. */
    const armedFor: number[] = [];
    const armedMs: number[] = [];
    let expiry = Infinity;
    const wake: WakeUp = {
      arm(ms) {
        armedMs.push(ms);
        expiry = now + ms;
        armedFor.push(expiry);
      },
    };
    let waits = 0;
    const libc = {
      epoll_wait: (_epfd: number, _events: number, _max: number, timeout: number) => {
        waits++;
        // The wait ends at the wake timer's expiry if it is armed, else at its timeout.
        now = expiry !== Infinity ? Math.max(now, expiry) : now + timeout;
        expiry = Infinity;
        return 0;
      },
    } as unknown as Libc;
    const loop = new EventLoop(libc, -1, 0, 16, owner, wake);
    const fired: { name: string; at: number }[] = [];
    const deadlines: Record<string, number> = {};
    // Set out of order; 0.3 ms apart.
    for (const [name, ms] of [['c', 0.9], ['a', 0.3], ['b', 0.6]] as const) {
      deadlines[name] = loop.setTimer(() => fired.push({ name, at: performance.now() }), ms, true).at;
    }
    // An ordinary timer after them: it waits whole ms, and arms nothing.
    deadlines.d = loop.setTimer(() => fired.push({ name: 'd', at: performance.now() }), 1.5).at;
    loop.drive(() => fired.length === 4 || waits > 10_000, () => undefined, true);

    expect(fired.map((f) => f.name)).toEqual(['a', 'b', 'c', 'd']);
    for (const f of fired) expect(f.at).toBeGreaterThanOrEqual(deadlines[f.name]!);
    // Armed once per precise timer, for its own deadline less at most the 100 µs spin: not a whole ms.
    expect(armedFor).toHaveLength(3);
    for (const [i, name] of ['a', 'b', 'c'].entries()) {
      const early = deadlines[name]! - armedFor[i]!;
      expect(early).toBeGreaterThan(0);
      expect(early).toBeLessThanOrEqual(0.1);
      expect(armedMs[i]).toBeLessThan(1);
    }
  });
});
