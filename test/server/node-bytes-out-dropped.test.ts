// The node backend counts bytes out when the kernel takes them: echoes still queued in Node when
// a client that never reads resets are dropped (write()'s callback gets the error) and were never
// sent, so bytes.out ends below bytes.in. It counted them all the same (in == out).
import { connect, type Socket } from 'node:net';
import { expect, it } from 'vitest';
import { closeAll } from '../helpers/holders.js';
import { quiescent, settle, useServerProcess } from '../helpers/serverProcess.js';
import type { ServerStats } from '../../src/server/types.js';

const CLIENTS = 4;
const CHUNK = Buffer.alloc(1 << 20, 0x61);
/** Each client sends at most this much (the kernel's buffers on both sides take some MiB). */
const CAP = 48 << 20;

/** A client that sends until CAP or until the kernel refuses more, and never reads. */
function neverReads(port: number): Socket {
  const s = connect({ host: '127.0.0.1', port });
  s.pause();
  s.on('error', () => {});
  let written = 0;
  const pump = () => {
    while (written < CAP) {
      written += CHUNK.length;
      if (!s.write(CHUNK)) return;
    }
  };
  s.on('connect', pump);
  s.on('drain', pump);
  return s;
}

const server = useServerProcess(['--backend', 'node']);

it('bytes echoed into a reset are not counted out', async () => {
  const clients = Array.from({ length: CLIENTS }, () => neverReads(server().port));
  try {
    // Stuck: the server has read as much as it will (the echoes it holds wait on readers that
    // never read), two readings apart.
    let last = -1;
    const stuck = await settle(server().stats, (s: ServerStats) => {
      const same = s.bytes.in === last && s.sessions.live === CLIENTS;
      last = s.bytes.in;
      return same && s.bytes.in > 0;
    }, 30_000);
    expect(stuck.sessions.live).toBe(CLIENTS);
    expect(stuck.bytes.in - stuck.bytes.out).toBeGreaterThan(0);
  } finally {
    closeAll(clients);
  }
  const after = await settle(server().stats, quiescent);
  expect(after.sessions.live).toBe(0);
  expect(after.bytes.out).toBeLessThan(after.bytes.in);
}, 60_000);
