// A client that writes far more than the server can send back before it starts reading gets
// every byte back, in order: the server's sends go pending (the echo waits in the session's
// ring, not in a worker's scratch buffer), its receives pause on a full ring, and both resume.
import { describe, expect, it } from 'vitest';
import { lateReader, pattern } from '../helpers/lateReader.js';
import { quiescent, settle, useServerProcess } from '../helpers/serverProcess.js';
import { SERVER_VARIANTS } from '../helpers/serverVariants.js';

const TOTAL = 16 * 1024 * 1024;

// 16k: rings smaller than the echo; 4m: rings larger than a worker's scratch buffer (epoll).
const cases = SERVER_VARIANTS.flatMap((v) => (v.backend === 'node' ? [{ ...v, bufferSize: '16k' }] : ['16k', '4m'].map((bufferSize) => ({ ...v, bufferSize }))));

describe.each(cases)('$name backend with --buffer-size $bufferSize, a client that reads late', ({ backend, args, bufferSize }) => {
  const server = useServerProcess([...args, '--buffer-size', bufferSize, '--max-sessions', '100']);

  it('gets every byte back in order, the server\'s sends having waited', async () => {
    const inputs = [pattern(TOTAL, 1), pattern(TOTAL, 2)];
    const echoes = await Promise.all(inputs.map((d) => lateReader(server().port, d, 300)));
    for (let k = 0; k < inputs.length; k++) {
      expect(echoes[k]!.length).toBe(TOTAL);
      expect(echoes[k]!.equals(inputs[k]!)).toBe(true);
    }
    const s = await settle(server().stats, quiescent);
    expect(s.sessions).toMatchObject({ live: 0, accepted: 2, freed: 2 });
    expect(s.bytes.in).toBe(2 * TOTAL);
    expect(s.bytes.out).toBe(2 * TOTAL);
    expect(s.staleCompletions).toBe(0);
    if (backend !== 'node') expect(s.extra.sendBackpressure).toBeGreaterThan(0);
  }, 60_000);
});
