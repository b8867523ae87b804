// Each --assert operator holds exactly where it should: at the boundary value, `<` and `>` fail
// while `<=` and `>=` pass; an unmeasured metric fails whatever the operator.
import { describe, expect, it } from 'vitest';
import { evaluateAssertions, parseAssertions } from '../../src/client/verdict/assertions.js';

const at = (expr: string, actual: number | null) => evaluateAssertions(parseAssertions(expr), () => actual)[0]!;

describe('assertion operators', () => {
  it.each([
    ['errors<5', 4, true],
    ['errors<5', 5, false],
    ['errors<=5', 5, true],
    ['errors<=5', 6, false],
    ['errors>5', 5, false],
    ['errors>5', 6, true],
    ['errors>=5', 5, true],
    ['errors>=5', 4, false],
    ['errors==5', 5, true],
    ['errors=5', 4, false],
    ['errors!=5', 5, false],
    ['errors!=5', 6, true],
  ])('%s with actual %d: %s', (expr, actual, ok) => {
    const r = at(expr, actual);
    expect(r.ok).toBe(ok);
    expect(r.actual).toBe(actual);
  });

  it('a time bound in ms compares microseconds at the boundary', () => {
    expect(at('p99<20ms', 20_000).ok).toBe(false);
    expect(at('p99<20ms', 19_999).ok).toBe(true);
    expect(at('p99<=20ms', 20_000).ok).toBe(true);
  });

  it('an unmeasured metric fails', () => {
    expect(at('leaks==0', null).ok).toBe(false);
  });
});

describe('assertion values shown in their unit', () => {
  it('a latency is shown as a time, a count as a number, an unmeasured value as such', () => {
    const list = parseAssertions('p99<20ms,errors==0,leaks==0');
    const r = evaluateAssertions(list, (m) => (m === 'p99' ? 202_751 : m === 'errors' ? 3 : null));
    expect(r.map((a) => a.shown)).toEqual(['202.8ms', '3', 'not measured']);
    expect(r[0]!.actual).toBe(202_751); // the JSON keeps µs
  });
});
