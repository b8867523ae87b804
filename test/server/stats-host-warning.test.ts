// A stats endpoint listening beyond loopback is unauthenticated: the server says so on stderr at
// start-up; on loopback (the default) it says nothing.
import { describe, expect, it } from 'vitest';
import { gracefulStop, startServerProcess } from '../helpers/serverProcess.js';

describe('stats endpoint address', () => {
  it.each([
    ['0.0.0.0', true],
    ['::', true],
    ['127.0.0.1', false],
    ['::1', false],
  ])('--stats-host %s warns: %s', async (host, warns) => {
    const stop = gracefulStop('1s');
    // Sessions within any machine's descriptor limit: no other warning on stderr.
    const server = await startServerProcess(['--stats-host', host, '--max-sessions', '100', ...stop.args]);
    const { code } = await server.stop(stop.signal);
    expect(code, server.stdout() + server.stderr()).toBe(0);
    if (warns)
      expect(server.stderr()).toBe(
        `iocp-bench server: warning: the stats endpoint listens on ${host}, beyond this machine; it has no authentication (anyone who can reach it reads the counters)\n`,
      );
    else expect(server.stderr()).toBe('');
  });
});
