// The flood's event loop runs calls queued with soon() as soon as the callback that queued them
// returns, before any further event — the turn's own work (opening connections) included, so a
// connection queued to abort is aborted before the wait that could report it connected.
import { describe, expect, it } from 'vitest';
import { EventLoop, type LoopOwner } from '../../src/client/transport/eventLoop.js';
import type { Libc } from '../../src/native/linux/libc.js';

function loopRecording(log: string[], waits: { n: number }): EventLoop {
  const libc = { epoll_wait: () => (waits.n++, 0) } as unknown as Libc;
  const owner: LoopOwner = {
    beforeWait: () => log.push('beforeWait'),
    handleEvents: () => log.push('events'),
    dispose: () => log.push('dispose'),
  };
  return new EventLoop(libc, -1, 0, 16, owner);
}

describe('flood event loop', () => {
  it('runs what a turn queued with soon() before that turn waits for events', () => {
    const log: string[] = [];
    const waits = { n: 0 };
    const loop = loopRecording(log, waits);
    let turns = 0;
    loop.drive(
      () => waits.n >= 1,
      () => {
        if (turns++ === 0) loop.afterCallback(() => log.push('soon'));
      },
      true,
    );
    expect(log).toEqual(['soon', 'beforeWait', 'events', 'dispose']);
  });

  it('runs what an event handler queued before the next event', () => {
    const log: string[] = [];
    const waits = { n: 0 };
    const libc = { epoll_wait: () => (waits.n++, 2) } as unknown as Libc;
    let loop: EventLoop;
    const owner: LoopOwner = {
      beforeWait: () => undefined,
      handleEvents: (n) => {
        for (let i = 0; i < n; i++) {
          log.push(`event ${i}`);
          if (i === 0) loop.afterCallback(() => log.push('soon'));
          loop.callbackReturned();
        }
      },
      dispose: () => undefined,
    };
    loop = new EventLoop(libc, -1, 0, 16, owner);
    loop.drive(() => waits.n >= 1, () => undefined, true);
    expect(log).toEqual(['event 0', 'soon', 'event 1']);
  });
});
