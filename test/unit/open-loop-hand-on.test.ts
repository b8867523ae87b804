// Open loop on two client threads, with a connection count (-n) rather than a duration: the
// thread whose connections run out first hands its share of --msg-rate on, and the other takes
// it over from when the first one's next message would have been due, so the run keeps offering
// the whole rate until its last frame. Two engines on fake transports, one hand-set clock: thread
// B gets a short connection, thread A a long one, 500 msg/s each of 1000.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientEngine } from '../../src/client/run/clientEngine.js';
import { resolveFloodOptions } from '../../src/client/options.js';
import { planConnection } from '../../src/client/run/scenarios.js';
import { shares } from '../../src/client/run/threads.js';
import { advanceAll, mockClock, onFakeTransport } from '../helpers/fakeTransport.js';

afterEach(() => vi.restoreAllMocks());

/** A claim that gives `index` once, then finds the pool empty. */
const once = (index: number) => {
  let given = false;
  return () => (given ? -1 : ((given = true), index));
};

describe('open loop hand-on between client threads', () => {
  it('the thread still sending takes over the share of the one out of connections', () => {
    mockClock(1000);
    const cfg = resolveFloodOptions({
      target: '127.0.0.1:9', msgRate: 1000, connections: 4, total: 40, messages: { min: 5, max: 60 }, size: 64, pipeline: 1024, transport: 'net', seed: 7,
    });
    const frames = Array.from({ length: 40 }, (_, i) => planConnection(i, cfg).frames);
    const short = frames.indexOf(Math.min(...frames));
    const long = frames.indexOf(Math.max(...frames));
    const k = frames[short]!;
    expect(frames[long]! - k).toBeGreaterThanOrEqual(30);

    const [shareA, shareB] = shares(cfg.connections, 0, 2, cfg.msgRate);
    const a = new ClientEngine(cfg, shareA!, once(long));
    const b = new ClientEngine(cfg, shareB!, once(short));
    const ta = onFakeTransport(a);
    const tb = onFakeTransport(b);
    void a.run();
    void b.run(); // both start at 1000: each one's message j is due at 1000 + 2j
    ta.sockets[0]!.connect();
    tb.sockets[0]!.connect();
    advanceAll([ta, tb], 1000 + 2 * k + 20);

    const bSent = tb.sockets[0]!.writes.map((at) => at - 1000);
    expect(bSent).toEqual(Array.from({ length: k }, (_, j) => 2 * j));
    expect(tb.sockets[0]!.ended).toBe(true); // its FIN behind its last frame

    // A: every 2 ms up to message k (due when B's next one would have been), then every 1 ms.
    const aSent = ta.sockets[0]!.writes.map((at) => at - 1000);
    const expected = [...Array.from({ length: k + 1 }, (_, j) => 2 * j), ...Array.from({ length: 20 }, (_, i) => 2 * k + 1 + i)];
    expect(aSent).toHaveLength(expected.length);
    aSent.forEach((at, j) => expect(at).toBeCloseTo(expected[j]!, 3));
  });
});
