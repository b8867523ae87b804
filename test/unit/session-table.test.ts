// The session table's primitives: references, one-time close, generation on free, and a free list
// that stays consistent when several threads allocate and free at once.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { F_RECV_OFF, SessionTable, STATE_CLOSING, STATE_FREE, STATE_OPEN } from '../../src/server/sessionTable.js';

describe('SessionTable', () => {
  it('allocates with one reference and frees only once, bumping the generation', () => {
    const t = new SessionTable(2);
    const a = t.alloc();
    expect(t.state(a)).toBe(STATE_OPEN);
    expect(t.refs(a)).toBe(1);
    const gen = t.generation(a);
    t.acquire(a);
    expect(t.release(a)).toBe(false);
    expect(t.beginClose(a)).toBe(true);
    expect(t.beginClose(a)).toBe(false);
    expect(t.state(a)).toBe(STATE_CLOSING);
    expect(t.release(a)).toBe(true);
    expect(t.free(a)).toBe(true);
    expect(t.free(a)).toBe(false);
    expect(t.state(a)).toBe(STATE_FREE);
    expect(t.generation(a)).toBe(gen + 1);
    expect(t.live()).toBe(0);
    expect(t.peak()).toBe(1);
  });

  it('reports full, then reuses freed slots', () => {
    const t = new SessionTable(3);
    const slots = [t.alloc(), t.alloc(), t.alloc()];
    expect(new Set(slots).size).toBe(3);
    expect(t.alloc()).toBe(-1);
    t.free(slots[1]);
    expect(t.alloc()).toBe(slots[1]);
  });

  it('keeps the free list consistent under concurrent alloc/free from four threads', async () => {
    const capacity = 64;
    const t = new SessionTable(capacity);
    const code = `
      const { workerData, parentPort } = require('node:worker_threads');
      const i32 = new Int32Array(workerData.sab);
      import(workerData.url).then(({ SessionTable }) => {
        const t = new SessionTable(workerData.sab);
        let ok = 0;
        for (let n = 0; n < 20000; n++) {
          const s = t.alloc();
          if (s < 0) continue;
          // A spare field as an ownership marker: two owners at once would see it non-zero.
          const at = t.base(s) + workerData.field;
          if (Atomics.add(i32, at, 1) !== 0) throw new Error('slot handed out twice');
          Atomics.sub(i32, at, 1);
          t.free(s);
          ok++;
        }
        parentPort.postMessage(ok);
      });
    `;
    const url = new URL('../../dist/server/sessionTable.js', import.meta.url).href;
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        new Promise<number>((resolve, reject) => {
          const w = new Worker(code, { eval: true, workerData: { sab: t.sab, url, field: F_RECV_OFF } });
          w.once('message', resolve);
          w.once('error', reject);
        }),
      ),
    );
    expect(results.reduce((a, b) => a + b, 0)).toBe(80000);
    expect(t.live()).toBe(0);
    const seen = new Set<number>();
    for (let s = t.alloc(); s >= 0; s = t.alloc()) seen.add(s);
    expect(seen.size).toBe(capacity);
  });
});
