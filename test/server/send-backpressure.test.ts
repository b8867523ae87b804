// A client that never reads while megabytes are echoed makes the server's send wait, every time:
// the session's receive pauses on a full ring, the pending send is counted, and the reset that
// ends it frees the session with nothing left outstanding.
import { describe, expect, it } from 'vitest';
import { neverReader, pattern } from '../helpers/lateReader.js';
import { quiescent, settle, useServerProcess } from '../helpers/serverProcess.js';
import { COMPLETION_VARIANTS } from '../helpers/serverVariants.js';

const BYTES = 16 * 1024 * 1024;

describe.each(COMPLETION_VARIANTS)('$name backend, a client that never reads', ({ args, launcher }) => {
  const server = useServerProcess([...args, '--buffer-size', '64k'], launcher.start);

  it('leaves a send pending until the client resets, then frees the session', async () => {
    const client = await neverReader(server().port, pattern(BYTES, 7));
    // More is written than the kernel's buffers and the ring can hold: the echo must back up.
    const held = await settle(server().stats, (s) => s.extra.sendBackpressure! > 0 && s.ops.outstanding > 0, 20_000);
    expect(held.extra.sendBackpressure).toBeGreaterThan(0);
    expect(held.sessions.live).toBe(1);
    expect(held.ops.outstanding).toBeGreaterThan(0);
    // The receive paused on the full ring: far less came in than the client wrote.
    expect(held.bytes.in).toBeLessThan(BYTES);
    client.reset();
    const s = await settle(server().stats, quiescent);
    expect(s.sessions).toMatchObject({ live: 0, accepted: 1, freed: 1 });
    expect(s.ops.outstanding).toBe(0);
    expect(s.staleCompletions).toBe(0);
  });
});
