// At the run's end the watch gets one more say: a server that died less than a silent window
// before the end is judged gone when connects were refused since the last progress and one more
// connect, made then, is refused too. Nothing else makes that connect.
import { describe, expect, it, vi } from 'vitest';
import { watchCounters as counters } from '../helpers/watchCounters.js';
import { connectRefused, ServerGoneWatch } from '../../src/client/verdict/serverGone.js';

describe('server gone watch at the end of a run', () => {
  it('refusals since the last progress and a refused last connect: gone, told by that connect', async () => {
    const w = new ServerGoneWatch(5000); // window: 2 s
    expect(w.observe(counters(10, 100, 0), 1000)).toBeNull();
    expect(w.observe(counters(10, 100, 50), 1500)).toBeNull();
    const refusedNow = vi.fn(async () => true);
    expect(await w.atEnd(counters(10, 100, 70), 2000, refusedNow)).toEqual({ lastProgressMs: 1000, detectedMs: 2000, refused: 70, finalConnectRefused: true });
    expect(refusedNow).toHaveBeenCalledTimes(1);
  });

  it('a server that died in the last stretch, after progress in it: the refusals since the look before count', async () => {
    const w = new ServerGoneWatch(5000);
    expect(w.observe(counters(100, 1000, 0), 1750)).toBeNull();
    const refusedNow = vi.fn(async () => true);
    // Progress (more connected, more verified) and then 40 refusals, all after the look at 1750.
    expect(await w.atEnd(counters(110, 1100, 40), 2000, refusedNow)).toEqual({ lastProgressMs: 1750, detectedMs: 2000, refused: 40, finalConnectRefused: true });
    expect(refusedNow).toHaveBeenCalledTimes(1);
  });

  it('a last connect that is not refused: not gone', async () => {
    const w = new ServerGoneWatch(5000);
    w.observe(counters(10, 100, 0), 1000);
    expect(await w.atEnd(counters(10, 100, 70), 2000, async () => false)).toBeNull();
  });

  it('no connect is made without refusals since the last progress', async () => {
    const refusedNow = vi.fn(async () => true);
    const healthy = new ServerGoneWatch(5000);
    healthy.observe(counters(10, 100, 0), 1000);
    expect(await healthy.atEnd(counters(20, 200, 0), 2000, refusedNow)).toBeNull();
    const recovered = new ServerGoneWatch(5000); // refusals, then progress up to the end
    recovered.observe(counters(10, 100, 40), 1000);
    expect(await recovered.atEnd(counters(10, 101, 40), 2000, refusedNow)).toBeNull();
    const twoRefused = new ServerGoneWatch(5000);
    twoRefused.observe(counters(10, 100, 0), 1000);
    expect(await twoRefused.atEnd(counters(10, 100, 2), 2000, refusedNow)).toBeNull();
    const neverReached = new ServerGoneWatch(5000);
    expect(await neverReached.atEnd(counters(0, 0, 500), 2000, refusedNow)).toBeNull();
    expect(refusedNow).not.toHaveBeenCalled();
  });

  it('a whole silent window by the end is judged as during the run, with no connect', async () => {
    const w = new ServerGoneWatch(5000);
    w.observe(counters(10, 100, 0), 1000);
    const refusedNow = vi.fn(async () => true);
    expect(await w.atEnd(counters(10, 100, 9), 3500, refusedNow)).toEqual({ lastProgressMs: 1000, detectedMs: 3500, refused: 9, finalConnectRefused: false });
    expect(refusedNow).not.toHaveBeenCalled();
  });
});

describe('the last connect', () => {
  it('is refused where nothing listens, and not where something does', async () => {
    const { createServer } = await import('node:net');
    const listener = createServer((s) => s.destroy());
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    const port = (listener.address() as { port: number }).port;
    expect(await connectRefused('127.0.0.1', port)).toBe(false);
    await new Promise<void>((r) => listener.close(() => r()));
    expect(await connectRefused('127.0.0.1', port)).toBe(true);
  });
});
