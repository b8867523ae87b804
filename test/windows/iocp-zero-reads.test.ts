// Under Wine (or natively on Windows: wine.ts): the refcount lifetime posts every receive as a zero-byte read (no buffer held by
// the kernel while a session waits) and copies the bytes with recv() when it completes: idle
// sessions each have one pending, and a client that writes 4 MiB before reading still gets
// every byte back through 16 KiB rings.
import { describe, expect, it } from 'vitest';
import { closeAll, openIdle } from '../helpers/holders.js';
import { lateReader, pattern } from '../helpers/lateReader.js';
import { quiescent, settle } from '../helpers/serverProcess.js';
import { WHERE } from './wine.js';
import { useWineServer } from './wineServer.js';

const IDLE = 200;
const TOTAL = 4 * 1024 * 1024;

describe(`iocp backend ${WHERE}: zero-byte reads`, () => {
  const server = useWineServer(['--backend', 'iocp', '--buffer-size', '16k']);

  it('idle sessions wait on zero-byte reads, and a late reader gets every byte back', async () => {
    const idle = await openIdle(server().port, IDLE);
    try {
      const held = await settle(server().stats, (s) => s.sessions.live === IDLE && s.ops.outstanding === IDLE);
      expect(held.sessions.live).toBe(IDLE);
      expect(held.ops.outstanding).toBe(IDLE); // one receive each
      expect(held.extra.zeroByteReads).toBeGreaterThanOrEqual(IDLE);

      const before = held.extra.zeroByteReads!;
      const data = pattern(TOTAL, 11);
      const back = await lateReader(server().port, data, 500);
      expect(back.length).toBe(TOTAL);
      expect(back.equals(data)).toBe(true);
      const after = await server().stats();
      // 4 MiB through a 16 KiB ring: hundreds of receives, each a zero-byte read.
      expect(after.extra.zeroByteReads! - before).toBeGreaterThanOrEqual(TOTAL / (16 * 1024));
      expect(after.extra.sendBackpressure).toBeGreaterThan(0);
    } finally {
      closeAll(idle);
    }
    const s = await settle(server().stats, quiescent);
    expect(s.sessions).toMatchObject({ live: 0, accepted: IDLE + 1, freed: IDLE + 1 });
    expect(s.staleCompletions).toBe(0);
  });
});
