// Run tokens let at most N workers run at once: tickets are served in order, no more than N are ever
// held, a returned token wakes the parked worker whose turn it is, and a holder keeps its token while
// busy but steps aside for the longest-waiting worker when its wait finds nothing.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { RunTokens, RunTurns } from '../../src/server/epoll/runTokens.js';

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
  it('grants the first N tickets, then the next one for each token given back', () => {
    const tokens = RunTokens.create(2);
    const [a, b, c, d] = [tokens.ticket(), tokens.ticket(), tokens.ticket(), tokens.ticket()];
    expect([a, b, c, d].map((t) => tokens.granted(t))).toEqual([true, true, false, false]);
    tokens.giveBack();
    expect([c, d].map((t) => tokens.granted(t))).toEqual([true, false]);
    // A second view of the same memory (a worker's) sees the same counts.
    new RunTokens(tokens.sab).giveBack();
    expect(tokens.granted(d)).toBe(true);
    expect(tokens.granted(tokens.ticket())).toBe(false);
  });

  it('never lets more than N threads hold a token at once', async () => {
    const N = 2;
    const tokens = RunTokens.create(N);
    const seen = new Int32Array(new SharedArrayBuffer(12)); // [holders now, most holders seen, 0 to sleep on]
    const code = `
      const t = new RunTokens(workerData.sab);
      const seen = new Int32Array(workerData.seen);
      for (let n = 0; n < 300; n++) {
        const ticket = t.ticket();
        while (!t.granted(ticket)) t.park(ticket, 50);
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
    // All given back: N tickets granted at once, not N + 1.
    expect([tokens.ticket(), tokens.ticket(), tokens.ticket()].map((t) => tokens.granted(t))).toEqual([true, true, false]);
  }, 30_000);

  it('a returned token wakes a parked worker, whose ticket it is', async () => {
    const tokens = RunTokens.create(1);
    expect(tokens.granted(tokens.ticket())).toBe(true);
    const { worker, reply } = thread<{ granted: boolean }>(
      `const t = new RunTokens(workerData.sab);
       parentPort.postMessage({ granted: t.park(t.ticket(), 20000) });`,
      { sab: tokens.sab },
    );
    await untilParked(tokens);
    expect(tokens.parked()).toBe(1);
    tokens.giveBack();
    expect(await reply).toEqual({ granted: true });
    expect(tokens.parked()).toBe(0);
    expect(tokens.granted(tokens.ticket())).toBe(false);
    await worker.terminate();
  });

  it('a holder keeps its token while busy, steps aside for the longest-waiting worker when idle, and gives it back when it leaves', async () => {
    const tokens = RunTokens.create(1);
    const turns = new RunTurns(tokens);
    expect(turns.begin()).toBe(true); // the first ticket: the only token
    // Two workers queue behind it, the first one first.
    const waiter = (name: string) =>
      thread<{ name: string; granted: boolean }>(
        // A park ends when any token comes back; it parks again until its own does (bounded).
        `const t = new RunTokens(workerData.sab);
         const ticket = t.ticket();
         let granted = false;
         for (let i = 0; i < 400 && !granted; i++) granted = t.park(ticket, 50);
         parentPort.postMessage({ name: workerData.name, granted });`,
        { sab: tokens.sab, name },
      );
    const first = waiter('first');
    await untilParked(tokens);
    const second = waiter('second');
    for (let i = 0; i < 500 && tokens.parked() < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(tokens.parked()).toBe(2);
    // Busy: wait after wait, the token stays, however long the others have been parked.
    let waits = 0;
    while (waits < 10_000 && turns.begin()) waits++;
    expect(waits).toBe(10_000);
    expect(tokens.parked()).toBe(2);
    // A wait that found nothing: the worker that has waited longest takes the token.
    turns.idle();
    expect(await first.reply).toEqual({ name: 'first', granted: true });
    // This worker queues again, behind the second.
    expect(turns.begin()).toBe(false);
    tokens.giveBack(); // the first leaves
    expect(await second.reply).toEqual({ name: 'second', granted: true });
    tokens.giveBack(); // the second leaves: now it is this worker's turn
    expect(turns.begin()).toBe(true);
    turns.leave();
    expect(tokens.granted(tokens.ticket())).toBe(true);
    await first.worker.terminate();
    await second.worker.terminate();
  });
});
