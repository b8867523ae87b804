// A client thread whose run ends just past a boundary whose timer has not fired yet (its end seen
// first) files what it counted up to that boundary under it: the sample of that boundary waits for
// it and holds every thread's part, and the run's short last sample holds only what came after.
// Driven directly: two fake threads on hand-fired timers and a hand-set clock, no flood.
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClientEngine } from '../../src/client/run/clientEngine.js';
import { C, encodeHistogram, newCounters, newHistogram } from '../../src/client/run/floodCounters.js';
import { IntervalCollector, intervalClock, type PartSink } from '../../src/client/run/intervals.js';
import type { IntervalSample } from '../../src/client/verdict/samples.js';

const INTERVAL_MS = 1000;
let now = 0;

afterEach(() => vi.restoreAllMocks());

/** A thread: an engine whose counters the test bumps, and whose one pending timer the test fires. */
function fakeThread(sink: PartSink) {
  const counters = newCounters();
  let rtt = newHistogram();
  let pending: (() => void) | null = null;
  const engine = {
    transport: {
      setTimer: (fn: () => void) => (pending = fn),
      clearTimer: () => (pending = null),
    },
    takeInterval: () => {
      const part = { counters: counters.slice(), rtt: encodeHistogram(rtt), serviceTime: null };
      rtt = newHistogram();
      return part;
    },
  } as unknown as ClientEngine;
  // The flood's epoch is performance.now() = 0: boundary b falls at b × INTERVAL_MS.
  const clock = intervalClock(engine, performance.timeOrigin, INTERVAL_MS, sink);
  return {
    send(n: number) {
      counters[C.messagesSent]! += n;
      counters[C.messagesVerified]! += n;
      for (let i = 0; i < n; i++) rtt.recordValue(500);
    },
    /** Its interval timer fires now. */
    tick() {
      const fn = pending;
      expect(fn, 'a pending interval timer').not.toBeNull();
      fn!();
    },
    finish: () => clock.finish(),
  };
}

function twoThreads() {
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  now = 0;
  const samples: IntervalSample[] = [];
  const collector = new IntervalCollector(2, INTERVAL_MS, performance.timeOrigin, (s) => samples.push(s), () => null);
  const labels: number[][] = [[], []];
  const threads = [0, 1].map((i) =>
    fakeThread((b, part, final) => {
      labels[i]!.push(b);
      collector.add(i, b, part, final);
    }),
  );
  return { samples, collector, labels, a: threads[0]!, b: threads[1]! };
}

const sent = (s: IntervalSample[]) => s.map((x) => [x.elapsedMs, x.intervalMs, x.messages.sent, x.roundTripUs.count]);

describe('a thread that ends just past a boundary its timer has not taken yet', () => {
  it('files its part under that boundary, whose sample then holds both threads', () => {
    const { samples, collector, labels, a, b } = twoThreads();
    for (const at of [1000, 2000]) {
      a.send(500);
      b.send(500);
      now = at;
      a.tick();
      b.tick();
    }
    a.send(500);
    b.send(500);
    now = 3000;
    a.tick(); // thread A takes boundary 3 on time
    now = 3000.5;
    b.finish(); // thread B's run ended before its timer for boundary 3 fired
    a.send(7);
    now = 3019;
    a.finish();
    collector.finish(3019);
    // [elapsedMs, intervalMs, sent, round trips]: no dip at 3000, no spike in the last 19 ms.
    expect(sent(samples)).toEqual([
      [1000, 1000, 1000, 1000],
      [2000, 1000, 1000, 1000],
      [3000, 1000, 1000, 1000],
      [3019, 19, 7, 7],
    ]);
    expect(labels).toEqual([[1, 2, 3, 4], [1, 2, 3]]);
  });

  it('its sample waits for the other thread, whose part for it is not in yet', () => {
    const { samples, collector, b, a } = twoThreads();
    a.send(300);
    b.send(300);
    now = 1000.5;
    b.finish(); // B done, past boundary 1, before either timer fired
    expect(samples).toHaveLength(0);
    now = 1001;
    a.tick(); // A's boundary 1, taken a little late: now the sample can close
    expect(sent(samples)).toEqual([[1000, 1000, 600, 600]]);
    a.send(4);
    now = 1200;
    a.finish();
    collector.finish(1200);
    expect(sent(samples)).toEqual([[1000, 1000, 600, 600], [1200, 200, 4, 4]]);
  });

  it('but past a boundary already taken, its last part starts the last sample', () => {
    const { samples, collector, labels, a, b } = twoThreads();
    a.send(100);
    b.send(100);
    now = 1000;
    a.tick();
    b.tick();
    a.send(2);
    b.send(3);
    now = 1000.5;
    b.finish();
    now = 1400;
    a.finish(); // before boundary 2: its part is boundary 2's
    collector.finish(1400);
    expect(labels).toEqual([[1, 2], [1, 2]]);
    expect(sent(samples)).toEqual([[1000, 1000, 200, 200], [1400, 400, 5, 5]]);
  });
});
