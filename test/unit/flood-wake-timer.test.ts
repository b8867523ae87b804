// The native loop's wake timer is a real timerfd in the epoll set: armed a fraction of a
// millisecond ahead it ends an epoll_wait with one event that names no socket, and not before its
// time; re-arming replaces the earlier arming. (How soon after its time the wait returns is the
// machine's business and is measured, not asserted: see README's open-loop section.)
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EPOLL_CLOEXEC, loadLibc } from '../../src/native/linux/libc.js';
import { allocArena, freeArena, viewMemory } from '../../src/native/memory.js';
import { SocketTable } from '../../src/client/transport/socketTable.js';
import { WAKE_SLOT, WakeTimer } from '../../src/client/transport/wakeTimer.js';

const MAX = 4;

describe.runIf(process.platform === 'linux')('native wake timer (timerfd)', () => {
  let epfd = -1;
  let mem: { ptr: bigint; address: number };
  let events: Uint32Array;
  let timer: WakeTimer;

  beforeEach(() => {
    const libc = loadLibc();
    epfd = libc.epoll_create1(EPOLL_CLOEXEC);
    expect(epfd).toBeGreaterThanOrEqual(0);
    mem = allocArena(MAX * 12);
    events = new Uint32Array(viewMemory(mem.address, MAX * 12));
    timer = WakeTimer.open(libc, epfd)!;
    expect(timer).not.toBeNull();
  });

  afterEach(() => {
    timer.close();
    loadLibc().close(epfd);
    freeArena(mem.ptr);
  });

  it('armed 0.25 ms ahead, ends a wait with one event naming no socket, not before its time', () => {
    const libc = loadLibc();
    const deadline = performance.now() + 0.25;
    timer.arm(deadline - performance.now());
    // A 10 s backstop: the wait returns the timer's event (a timeout would return 0).
    const n = libc.epoll_wait(epfd, mem.address, MAX, 10_000);
    const woke = performance.now();
    expect(n).toBe(1);
    expect(events[1]).toBe(WAKE_SLOT);
    expect(new SocketTable().find(events, 0)).toBeNull();
    expect(woke).toBeGreaterThanOrEqual(deadline);
    // Edge-triggered: one expiry, one event.
    expect(libc.epoll_wait(epfd, mem.address, MAX, 0)).toBe(0);
  });

  it('re-arming replaces the earlier arming', () => {
    const libc = loadLibc();
    timer.arm(0.1);
    timer.arm(60_000);
    // The 0.1 ms arming is gone: nothing within 20 ms (the new one is a minute away).
    expect(libc.epoll_wait(epfd, mem.address, MAX, 20)).toBe(0);
    timer.arm(0.1);
    expect(libc.epoll_wait(epfd, mem.address, MAX, 10_000)).toBe(1);
  });
});
