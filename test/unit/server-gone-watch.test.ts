// The flood's judgement that the server went away: connections reached it, then a silent window
// (no connect, no verified echo) with refused connects. Never before anything connected, never
// while anything progresses, never on one or two refusals.
import { describe, expect, it } from 'vitest';
import { watchCounters as counters } from '../helpers/watchCounters.js';
import { ServerGoneWatch } from '../../src/client/verdict/serverGone.js';

describe('server gone watch', () => {
  it('judges gone after a silent window of refusals that follows progress', () => {
    const w = new ServerGoneWatch(5000); // window: 2 s
    expect(w.observe(counters(10, 100, 0), 1000)).toBeNull();
    expect(w.observe(counters(10, 100, 50), 2500)).toBeNull(); // refused, but only 1.5 s silent
    expect(w.observe(counters(10, 100, 80), 3000)).toEqual({ lastProgressMs: 1000, detectedMs: 3000, refused: 80, finalConnectRefused: false });
  });

  it('never judges a target nothing ever connected to (that is "no connection reached the server")', () => {
    const w = new ServerGoneWatch(5000);
    expect(w.observe(counters(0, 0, 500), 1000)).toBeNull();
    expect(w.observe(counters(0, 0, 5000), 60_000)).toBeNull();
  });

  it('progress resets the window: a slow server is not gone', () => {
    const w = new ServerGoneWatch(5000);
    w.observe(counters(10, 100, 0), 0);
    expect(w.observe(counters(10, 101, 40), 1900)).toBeNull(); // one echo verified
    expect(w.observe(counters(10, 101, 60), 3800)).toBeNull(); // 20 refused since, 1.9 s
    expect(w.observe(counters(10, 101, 60), 3900)).toEqual({ lastProgressMs: 1900, detectedMs: 3900, refused: 20, finalConnectRefused: false });
  });

  it('silence without refusals (a stalled server still listening) is left to the timeouts', () => {
    const w = new ServerGoneWatch(5000);
    w.observe(counters(10, 100, 2), 0);
    expect(w.observe(counters(10, 100, 4), 10_000)).toBeNull(); // 2 refusals only
  });

  it('the window is half the connection timeout when that is shorter', () => {
    const w = new ServerGoneWatch(1000);
    w.observe(counters(1, 0, 0), 0);
    expect(w.observe(counters(1, 0, 3), 499)).toBeNull();
    expect(w.observe(counters(1, 0, 3), 500)).not.toBeNull();
  });
});
