// A latency in --assert needs its unit: a bare number would be seconds to someone who read the
// flags' convention and microseconds to someone who read the JSON, and `p99<1` then failed (or
// passed) every run without a word. A bare 0 means the same in every unit.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseAssertions } from '../../src/client/verdict/assertions.js';

describe('--assert latency units', () => {
  it.each(['p99<1', 'p50<=800', 'max>2.5', 'connectP99<20'])('%s is refused, with the unit to add', (expr) => {
    const [metric, op, n] = /^([A-Za-z0-9]+)(<=|<|>)(.+)$/.exec(expr)!.slice(1);
    const e = (() => {
      try {
        parseAssertions(`leaks==0,${expr}`);
      } catch (err) {
        return err;
      }
      return null;
    })();
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toBe(`--assert: a latency needs its unit, like ${metric}${op}${n}ms or ${metric}${op}${n}us (got "${expr}")`);
  });

  it('a time with its unit, or a bare 0, is read in microseconds', () => {
    expect(parseAssertions('p99<1s,p50<=800us,max>2.5ms,connectP99<20ms,p999 < 250µs').map((a) => a.value)).toEqual([1_000_000, 800, 2500, 20_000, 250]);
    expect(parseAssertions('max==0,p50>0')).toMatchObject([{ value: 0 }, { value: 0 }]);
  });

  it('counts keep their bare numbers', () => {
    expect(parseAssertions('errors<1,msgsPerSec>=10k,connections==5')).toMatchObject([{ value: 1 }, { value: 10_000 }, { value: 5 }]);
  });
});
