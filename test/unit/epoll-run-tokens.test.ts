// Run tokens let at most N workers run at once: a token is taken and given back, no more than N are ever held, a returned token wakes a parked worker, and a busy holder steps aside for one.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { RunTokens, RunTurns, TURNS_BEFORE_YIELD } from '../../src/server/epoll/runTokens.js';

const URL_OF = new URL('../../dist/server/epoll/runTokens.js', import.meta.url).href;

/** Run `code` (CommonJS, with RunTokens imported from dist) on a thread; resolves with its message. */
function thread<T>(code: string, workerData: Record<string, unknown>): { worker: Worker; reply: Promise<T> } {
  const src = `
    const { workerData, parentPort } = require('node:worker_threads');
    import(workerData.url).then(({ RunTokens, RunTurns }) => { ${code} });
  `;
  const worker = new Worker(src, { eval: true, workerData: { ...workerData, url: URL_OF } });
  const reply = new Promise<T>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { worker, reply };
}

/**
 * Until the thread has counted itself parked (bounded: 5 s). It may not be asleep yet; a token
 * given back before it sleeps still ends its park() with true (the futex word is no longer 0).
 */
async function untilParked(tokens: RunTokens): Promise<void> {
  for (let i = 0; i < 500 && tokens.parked() === 0; i++) await new Promise((r) => setTimeout(r, 10));
}

describe('run tokens', () => {
  it('hands out the set number of tokens, then none until one is given back', () => {
    const tokens = RunTokens.create(2);
    expect(tokens.take()).toBe(true);
    expect(tokens.take()).toBe(true);
    expect(tokens.take()).toBe(false);
    tokens.giveBack();
    expect(tokens.take()).toBe(true);
    expect(tokens.take()).toBe(false);
    // A second view of the same memory (a worker's) sees the same counts.
    const other = new RunTokens(tokens.sab);
    other.giveBack();
    expect(tokens.take()).toBe(true);
  });

  it('never lets more than N threads hold a token at once', async () => {
    const N = 2;
    const tokens = RunTokens.create(N);
    const seen = new Int32Array(new SharedArrayBuffer(12)); // [holders now, most holders seen, 0 to sleep on]
    const code = `
      const t = new RunTokens(workerData.sab);
      const seen = new Int32Array(workerData.seen);
      for (let n = 0; n < 300; n++) {
        while (!t.take()) t.park(50);
        const now = Atomics.add(seen, 0, 1) + 1;
        for (let m = Atomics.load(seen, 1); now > m; m = Atomics.load(seen, 1)) Atomics.compareExchange(seen, 1, m, now);
        Atomics.wait(seen, 2, 0, 1); // hold it a while, so that the other threads run meanwhile
        Atomics.sub(seen, 0, 1);
        t.giveBack();
      }
      parentPort.postMessage('done');
    `;
    const threads = Array.from({ length: 4 }, () => thread<string>(code, { sab: tokens.sab, seen: seen.buffer }));
    expect(await Promise.all(threads.map((t) => t.reply))).toEqual(['done', 'done', 'done', 'done']);
    expect(seen[1]).toBeGreaterThan(0);
    expect(seen[1]).toBeLessThanOrEqual(N);
    expect(seen[0]).toBe(0);
    expect([tokens.take(), tokens.take(), tokens.take()]).toEqual([true, true, false]);
  }, 30_000);

  it('a returned token wakes a parked worker, which takes it', async () => {
    const tokens = RunTokens.create(1);
    expect(tokens.take()).toBe(true);
    const { worker, reply } = thread<{ woken: boolean; took: boolean }>(
      `const t = new RunTokens(workerData.sab);
       const woken = t.park(20000);
       parentPort.postMessage({ woken, took: t.take() });`,
      { sab: tokens.sab },
    );
    await untilParked(tokens);
    expect(tokens.parked()).toBe(1);
    tokens.giveBack();
    expect(await reply).toEqual({ woken: true, took: true });
    expect(tokens.parked()).toBe(0);
    expect(tokens.take()).toBe(false);
    await worker.terminate();
  });

  it('a holder steps aside for a parked worker after its turns, and gives its token back when it leaves', async () => {
    const tokens = RunTokens.create(1);
    const turns = new RunTurns(tokens);
    expect(turns.begin()).toBe(true); // takes the only token
    const { worker, reply } = thread<{ woken: boolean; took: boolean }>(
      `const t = new RunTokens(workerData.sab);
       const woken = t.park(20000);
       parentPort.postMessage({ woken, took: t.take() });`,
      { sab: tokens.sab },
    );
    await untilParked(tokens);
    let waits = 1;
    while (waits <= 2 * TURNS_BEFORE_YIELD && turns.begin()) waits++;
    expect(waits).toBe(TURNS_BEFORE_YIELD);
    expect(await reply).toEqual({ woken: true, took: true });
    // The token is the other worker's now: this one parks instead of waiting.
    expect(turns.begin()).toBe(false);
    tokens.giveBack(); // the other worker leaves
    expect(turns.begin()).toBe(true);
    turns.leave();
    expect(tokens.take()).toBe(true);
    await worker.terminate();
  });
});
