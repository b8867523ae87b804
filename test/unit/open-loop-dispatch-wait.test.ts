// The open loop's dispatch timer waits exactly until the next message is due, fractions of a
// millisecond included, on a precise timer: it is not rounded up to whole milliseconds (nor to at
// least one), which would send every message up to a millisecond late. Driven on a fake transport with a hand-set
// clock: the test moves time, the engine's timers fire at the deadlines it asked for.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientEngine } from '../../src/client/run/clientEngine.js';
import { resolveFloodOptions } from '../../src/client/options.js';
import { shares } from '../../src/client/run/threads.js';
import { clock, mockClock, onFakeTransport } from '../helpers/fakeTransport.js';

afterEach(() => vi.restoreAllMocks());

const RATE = 300; // a message every 3.333... ms
const GAP = 1000 / RATE;

describe('open loop dispatch timer', () => {
  it('waits the exact fraction of a millisecond to the next message, and sends it at its time', () => {
    mockClock(1000);
    const cfg = resolveFloodOptions({ target: '127.0.0.1:9', msgRate: RATE, connections: 1, total: 1, messages: 50, size: 64, pipeline: 64, transport: 'net', seed: 3 });
    let claimed = false;
    const engine = new ClientEngine(cfg, shares(1, 0, 1, RATE)[0]!, () => (claimed ? -1 : ((claimed = true), 0)));
    const t = onFakeTransport(engine);
    void engine.run(); // t0 = 1000: message j is due at 1000 + j × GAP
    // The connection is ready 3 ms in: message 0 (due at t0) goes at once, message 1 is due 0.333 ms later.
    clock.now = 1003;
    t.sockets[0]!.connect();
    const dispatchTimers = t.pending().filter((x) => x.ms !== 100); // 100: the stall sweep
    expect(dispatchTimers).toHaveLength(1);
    expect(dispatchTimers[0]!.ms).toBeCloseTo(GAP - 3, 9);
    expect(dispatchTimers[0]!.precise).toBe(true);

    t.advance(1000 + 4 * GAP);
    const writes = t.sockets[0]!.writes.map((at) => at - 1000);
    expect(writes).toHaveLength(5);
    expect(writes[0]).toBe(3);
    for (let j = 1; j <= 4; j++) expect(writes[j]).toBeCloseTo(j * GAP, 9);
  });
});
