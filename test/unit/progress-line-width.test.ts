// The flood's progress line fits an 80-column terminal, by count and by time (with the time left:
// `1s/1s left` read as nonsense), with wide but plausible values and the longest note a stop adds.
import { describe, expect, it } from 'vitest';
import { BAR_SIZE, progressFormat, stopNote } from '../../src/client/cli/progress.js';

const WIDE: Record<string, string> = {
  bar: '#'.repeat(BAR_SIZE), percentage: '100', remaining: '3599', done: '99.9k', totalText: '99.9k',
  active: '99.9k', flow: '99.9k msg/s', faults: '9999', errors: '9999',
};

describe('progress line', () => {
  it.each([true, false])('fits 80 columns (by time: %s)', (byTime) => {
    const line = progressFormat(byTime).replace(/\{(\w+)\}/g, (_, k: string) => WIDE[k] ?? '');
    expect(line.length).toBeLessThanOrEqual(80);
    for (const kind of ['stop', 'abort'] as const) expect(stopNote(kind, 'SIGTERM', true).length).toBeLessThanOrEqual('99.9k msg/s'.length);
    expect(line).toContain(byTime ? '100% 3599s left |' : '99.9k/99.9k');
  });
});
