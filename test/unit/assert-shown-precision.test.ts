// An assertion's measured time is shown as precisely as telling it from the bound needs: 1997 µs
// against p999<2ms reads "1997us", not "2.00ms" (which a failure beside it would show as well).
import { describe, expect, it } from 'vitest';
import { evaluateAssertions, parseAssertions } from '../../src/client/verdict/assertions.js';

describe('assertion values shown', () => {
  it('in µs where the rounded text would equal the bound', () => {
    const [near] = evaluateAssertions(parseAssertions('p999<2ms'), () => 1997);
    expect(near).toMatchObject({ ok: true, shown: '1997us' });
    const [over] = evaluateAssertions(parseAssertions('p999<2ms'), () => 2003);
    expect(over).toMatchObject({ ok: false, shown: '2003us' });
    const [exact] = evaluateAssertions(parseAssertions('p999<2ms'), () => 2000);
    expect(exact).toMatchObject({ ok: false, shown: '2.00ms' });
    const [far] = evaluateAssertions(parseAssertions('p99<20ms'), () => 1234);
    expect(far).toMatchObject({ ok: true, shown: '1.23ms' });
  });
});
