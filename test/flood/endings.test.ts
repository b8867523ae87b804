// Each disconnect mode ends its connections the way it names, on every client transport: the
// RST modes with a reset the server sees as ECONNRESET, the graceful ones with a FIN.
import { describe, expect, it } from 'vitest';
import { runFlood } from '../../src/client/flood.js';
import { useEchoServer } from '../helpers/faultyServers.js';
import { settle } from '../helpers/serverProcess.js';
import { TRANSPORTS } from '../helpers/transports.js';

const TOTAL = 60;

describe('how connections end', () => {
  const server = useEchoServer();

  /** Floods with one mode and returns how the server saw the connections end (bounded wait). */
  async function endings(transport: (typeof TRANSPORTS)[number], mode: string) {
    const before = server().endings();
    const r = await runFlood({
      target: `127.0.0.1:${server().port}`, connections: 20, total: TOTAL, workers: 1, transport, seed: 5,
      mix: { [mode]: 1 }, messages: { min: 1, max: 3 }, size: { min: 64, max: 4096 }, timeoutMs: 2000,
    }).result;
    expect(r.verdict, `${mode}: ${r.reasons.join('; ')}`).toBe('PASS');
    expect(r.connections.ok).toBe(TOTAL);
    await settle(async () => server().stats(), (s) => s.sessions.live === 0, 2000);
    const after = server().endings();
    return { resets: after.resets - before.resets, fins: after.fins - before.fins };
  }

  it.each(TRANSPORTS)('rst-after-echo and rst-mid-frame reset every connection (%s transport)', async (transport) => {
    for (const mode of ['rst-after-echo', 'rst-mid-frame']) {
      expect(await endings(transport, mode), mode).toEqual({ resets: TOTAL, fins: 0 });
    }
  });

  it.each(TRANSPORTS)('graceful and half-close end every connection with a FIN (%s transport)', async (transport) => {
    for (const mode of ['graceful', 'half-close']) {
      expect(await endings(transport, mode), mode).toEqual({ resets: 0, fins: TOTAL });
    }
  });
});
