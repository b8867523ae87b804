// The flood says which lifetime the server runs, from its stats: in the header (only when it is
// not refcount: a bug on purpose) and as result.target.lifetime; and it warns that a PASS clears
// nothing against the two zoo faults no flood is expected to catch (no-recheck, revive-zero).
import { describe, expect, it } from 'vitest';
import { runFlood, type FloodStartInfo } from '../../src/client/flood.js';
import { renderStartHeader } from '../../src/client/cli/report.js';
import type { Lifetime } from '../../src/server/index.js';

async function flood(lifetime: Lifetime) {
  const run = runFlood({ connections: 20, total: 40, workers: 0, server: { lifetime } });
  let start: FloodStartInfo | null = null;
  run.on('start', (s) => (start = s));
  const result = await run.result;
  return { result, header: renderStartHeader(start!).split('\n')[0]! };
}

const UNCAUGHT = (l: string) =>
  `the server runs --lifetime ${l}, a fault a flood is not expected to catch (README, "Bug zoo"; test/unit/lifetime/bug-zoo.test.ts shows it): a PASS does not clear it`;

describe('the server lifetime a flood ran against', () => {
  it('refcount: in the result, not in the header, no warning', async () => {
    const { result, header } = await flood('refcount');
    expect(result.target.lifetime).toBe('refcount');
    expect(header).toMatch(/^iocp-bench flood -> embedded \w+ server on 127\.0\.0\.1:\d+$/);
    expect(result.warnings).toEqual([]);
  });

  it('a zoo fault is named in the header', async () => {
    const { result, header } = await flood('late-acquire');
    expect(result.target.lifetime).toBe('late-acquire');
    expect(header).toMatch(/^iocp-bench flood -> embedded \w+ server \(lifetime late-acquire\) on 127\.0\.0\.1:\d+$/);
  });

  it.each(['no-recheck', 'revive-zero'] as const)('%s: a PASS comes with a warning that it clears nothing', async (lifetime) => {
    const { result } = await flood(lifetime);
    expect(result.warnings).toContain(UNCAUGHT(lifetime));
  });
});
