/**
 * A client transport with no network and a hand-set clock, for driving a ClientEngine step by
 * step: timers fire only when the test advances the clock, sockets connect when told, and every
 * frame written is recorded with the clock's time. performance.now() is mocked to that clock.
 */
import { performance } from 'node:perf_hooks';
import { vi } from 'vitest';
import type { ClientEngine } from '../../src/client/run/clientEngine.js';
import type { ClientSocket, ClientTransport, SocketEvents, TimerHandle } from '../../src/client/transport/transport.js';

/** The mocked performance.now(). */
export const clock = { now: 0 };

export function mockClock(start: number): void {
  clock.now = start;
  vi.spyOn(performance, 'now').mockImplementation(() => clock.now);
}

interface FakeTimer {
  fn: (() => void) | null;
  at: number;
  ms: number;
  precise: boolean;
}

export class FakeSocket implements ClientSocket {
  connecting = true;
  destroyed = false;
  sentAt = NaN;
  ended = false;
  /** The clock's time at each write. */
  readonly writes: number[] = [];

  constructor(readonly events: SocketEvents) {}

  write(): boolean {
    this.sentAt = clock.now;
    this.writes.push(clock.now);
    return true;
  }

  onceDrain(): void {}

  end(): void {
    this.ended = true;
  }

  destroy(): void {
    this.destroyed = true;
  }

  resetAndDestroy(): void {
    this.destroyed = true;
  }

  pause(): void {}

  /** The connect completes now. */
  connect(): void {
    this.connecting = false;
    this.events.onConnect();
  }
}

export class FakeTransport implements ClientTransport {
  readonly name = 'net' as const;
  readonly frameOffset = 0;
  readonly timers: FakeTimer[] = [];
  readonly sockets: FakeSocket[] = [];
  private calls: (() => void)[] = [];

  setTimer(fn: () => void, ms: number, precise = false): TimerHandle {
    const t: FakeTimer = { fn, at: clock.now + ms, ms, precise };
    this.timers.push(t);
    return t;
  }

  clearTimer(t: TimerHandle): void {
    (t as FakeTimer).fn = null;
  }

  defer(fn: () => void): void {
    this.calls.push(fn);
  }

  soon(fn: () => void): void {
    this.calls.push(fn);
  }

  connect(events: SocketEvents): ClientSocket {
    const s = new FakeSocket(events);
    this.sockets.push(s);
    return s;
  }

  frameBuffer(len: number): Buffer {
    return Buffer.alloc(len);
  }

  drive(): void {}

  dispose(): void {}

  /** Timers neither fired nor cleared (`ms`: as the engine asked). */
  pending(): FakeTimer[] {
    return this.timers.filter((t) => t.fn !== null);
  }

  /** Moves the clock to `to`, firing the timers due on the way (advanceAll()). */
  advance(to: number): void {
    advanceAll([this], to);
  }

  runCalls(): void {
    for (let k = 0; k < 100_000 && this.calls.length > 0; k++) this.calls.shift()!();
  }
}

/**
 * Moves the clock to `to`, firing the timers of all `transports` due on the way in deadline order
 * (each at its deadline, the clock never going back), and the deferred calls after each; bounded in count.
 */
export function advanceAll(transports: FakeTransport[], to: number): void {
  const runCalls = () => transports.forEach((t) => t.runCalls());
  for (let k = 0; k < 100_000; k++) {
    runCalls();
    const due = transports
      .flatMap((t) => t.pending())
      .filter((t) => t.at <= to)
      .sort((a, b) => a.at - b.at)[0];
    if (!due) break;
    clock.now = Math.max(clock.now, due.at);
    const fn = due.fn!;
    due.fn = null;
    fn();
  }
  clock.now = Math.max(clock.now, to);
  runCalls();
}

/** Puts `engine` on a fake transport (it made its own, unused, in its constructor). */
export function onFakeTransport(engine: ClientEngine): FakeTransport {
  const t = new FakeTransport();
  (engine as unknown as { transport: ClientTransport }).transport = t;
  return t;
}
