// --out - in a long-lived process (runCli called again and again): the 'error' listener a run puts
// on stdout goes once the output is closed and its writes have ended, a failed run's too (each
// failed run left one behind, until Node warned of a leak); and the wait for stdout's pending
// writes at the end of a run is bounded (a reader that stays but never reads held it forever).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openSampleOut } from '../../src/sampleOut.js';

const nextTurn = () => new Promise((r) => setImmediate(r));

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('--out - on stdout', () => {
  it('a run whose writes failed (EPIPE) leaves no error listener behind', async () => {
    const before = process.stdout.listenerCount('error');
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.spyOn(process.stdout, 'write').mockImplementation(((_chunk: unknown, cb?: (err?: Error) => void) => {
      process.nextTick(() => cb?.(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })));
      return false;
    }) as typeof process.stdout.write);
    for (let run = 0; run < 3; run++) {
      const out = openSampleOut('--out', '-', ['elapsedMs']);
      out.start();
      out.write({ elapsedMs: 1 });
      await out.settled();
      expect(out.lost()).toBe('--out: stdout holds only the first 0 sample(s): a write failed (EPIPE)');
      out.close();
      await nextTurn();
      expect(process.stdout.listenerCount('error')).toBe(before);
    }
  });

  it('a run whose writes never end: settled() resolves after at most 2 s, nothing lost so far', async () => {
    vi.useFakeTimers();
    vi.spyOn(process.stdout, 'write').mockImplementation((() => false) as typeof process.stdout.write);
    const out = openSampleOut('--out', '-', ['elapsedMs']);
    out.start();
    out.write({ elapsedMs: 1 });
    let settled = false;
    const done = out.settled().then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(1900);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    await done;
    expect(settled).toBe(true);
    expect(out.lost()).toBeNull();
    out.close();
  });
});
