// The same stop signal twice within REPEAT_WINDOW_MS (timeout(1) signals its child, then its
// process group) is one request; later, or another signal, is a second one.
import { describe, expect, it } from 'vitest';
import { REPEAT_WINDOW_MS, signalCounter } from '../../src/signals.js';

describe('signalCounter', () => {
  it('counts a repeat of the last signal only once its window has passed', () => {
    let t = 1000;
    const counts = signalCounter(() => t);
    expect(counts('SIGTERM')).toBe(true);
    t += 1;
    expect(counts('SIGTERM')).toBe(false);
    t += REPEAT_WINDOW_MS - 2;
    expect(counts('SIGTERM')).toBe(false);
    t += 2;
    expect(counts('SIGTERM')).toBe(true);
  });

  it('another signal counts at once', () => {
    let t = 0;
    const counts = signalCounter(() => t);
    expect(counts('SIGTERM')).toBe(true);
    t += 1;
    expect(counts('SIGINT')).toBe(true);
    t += 1;
    expect(counts('SIGINT')).toBe(false);
  });
});
