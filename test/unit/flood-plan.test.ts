// The seeded plan: the same seed gives connection i the same mode, sizes and cuts.
import { describe, expect, it } from 'vitest';
import { resolveFloodOptions } from '../../src/client/options.js';
import { DISCONNECT_MODES, frameCut, frameSize, planConnection, type ConnectionPlan } from '../../src/client/run/scenarios.js';

/** Everything a plan decides, frame sizes and cuts included. */
const expand = (p: ConnectionPlan) => ({ ...p, sizes: Array.from({ length: p.frames }, (_, i) => frameSize(p, i)), cuts: Array.from({ length: p.frames }, (_, i) => frameCut(p, i)) });

describe('connection plans', () => {
  const opts = (seed: number, extra = {}) => resolveFloodOptions({ target: '127.0.0.1:9', seed, split: true, ...extra });

  it('are identical for the same seed and differ for another', () => {
    const a = Array.from({ length: 200 }, (_, i) => expand(planConnection(i, opts(7))));
    const b = Array.from({ length: 200 }, (_, i) => expand(planConnection(i, opts(7))));
    const c = Array.from({ length: 200 }, (_, i) => expand(planConnection(i, opts(8))));
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('depend only on the index, not on the order they are made in', () => {
    const o = opts(3);
    const forward = Array.from({ length: 50 }, (_, i) => planConnection(i, o));
    const backward = Array.from({ length: 50 }, (_, i) => planConnection(49 - i, o)).reverse();
    expect(backward).toEqual(forward);
  });

  it('stay within the ranges and use every mode of the default mix', () => {
    const o = opts(11, { size: { min: 64, max: 512 }, messages: { min: 2, max: 6 } });
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const p = expand(planConnection(i, o));
      seen.add(p.mode);
      for (const s of p.sizes) expect(s >= 64 && s <= 512).toBe(true);
      p.cuts.forEach((cut, k) => expect(cut >= 1 && cut < p.sizes[k]!).toBe(true));
      expect(p.partialBytes >= 1 && p.partialBytes < (p.sizes.at(-1) ?? 17)).toBe(true);
      if (p.mode === 'connect-rst' || p.mode === 'connect-abort') expect(p.sizes).toEqual([]);
    }
    expect([...seen].sort()).toEqual([...DISCONNECT_MODES].sort());
  });

  it('cost nothing per frame: a million-frame plan holds a few numbers, each frame computed on demand', () => {
    const p = planConnection(0, opts(1, { messages: 1_000_000, mix: { graceful: 1 } }));
    expect(p.frames).toBe(1_000_000);
    // Only scalars: no per-frame array, typed array or table anywhere in the plan.
    for (const [k, v] of Object.entries(p)) expect(['number', 'string', 'boolean'], k).toContain(typeof v);
    expect(Object.keys(p).length).toBeLessThan(20);
    expect(frameSize(p, 999_999)).toBe(frameSize(p, 999_999));
  });

  it('follow the mix weights', () => {
    const o = opts(5, { mix: { graceful: 3, 'connect-rst': 1 } });
    const counts: Record<string, number> = {};
    for (let i = 0; i < 4000; i++) {
      const m = planConnection(i, o).mode;
      counts[m] = (counts[m] ?? 0) + 1;
    }
    expect(Object.keys(counts).sort()).toEqual(['connect-rst', 'graceful']);
    expect(counts.graceful! / 4000).toBeGreaterThan(0.7);
    expect(counts.graceful! / 4000).toBeLessThan(0.8);
  });
});
