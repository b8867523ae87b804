// A flood whose target does not answer (a wrong port, a server that is down) fails and says why,
// even when its mix holds modes that never wait for the connect (connect-abort), which would
// otherwise complete their plan on their own and make the run look like a PASS. A run of nothing
// but those has no error to go by: one connect after it finds the port refused.
import { describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { deadPort } from '../helpers/ports.js';
import { useServerProcess } from '../helpers/serverProcess.js';
import { TRANSPORTS } from '../helpers/transports.js';

describe('flood against a port nothing listens on', () => {
  it.each(TRANSPORTS)('FAIL, exit 1: no connection reached the server (%s transport)', async (transport) => {
    const port = await deadPort();
    // Seed 1 plans one connect-abort among the 20 (it ends well without a server). The timeout
    // leaves room for Windows, which retries a refused connect for about 2 s before it reports it.
    const args = ['flood', `127.0.0.1:${port}`, '-n', '20', '-c', '20', '--seed', '1', '--timeout', '10s', '--workers', '1', '--transport', transport];
    const json = await runCliProcess([...args, '--json']);
    expect(json.code, json.stderr).toBe(1);
    const j = JSON.parse(json.stdout);
    expect(j.connections).toMatchObject({ started: 20, connected: 0, ok: 1, errored: 19 });
    expect(j.errors).toMatchObject({ total: 19, refused: 19 });
    expect(j.reasons).toEqual(['no connection reached the server (19 refused)']);
    const text = await runCliProcess(args);
    expect(text.code).toBe(1);
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe('FAIL: no connection reached the server (19 refused)');
  });

  it('FAIL too when every connection is connect-abort (none waits for its connect): one connect after the run tells', async () => {
    const port = await deadPort();
    const r = await runCliProcess(['flood', `127.0.0.1:${port}`, '-n', '5', '-c', '5', '--mix', 'connect-abort=1', '--seed', '1', '--timeout', '10s', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.connections).toMatchObject({ started: 5, connected: 0, ok: 5, errored: 0 });
    expect(j.reasons).toEqual(['no connection reached the server (none waited for its connect, and one connect after the run was refused)']);
  });
});

describe('flood of connect-abort only against a server that listens', () => {
  const server = useServerProcess([]);

  it('PASS: the connect after the run is accepted', async () => {
    const r = await runCliProcess(['flood', `127.0.0.1:${server().port}`, '-n', '5', '-c', '5', '--mix', 'connect-abort=1', '--seed', '1', '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'PASS', reasons: [] });
  });
});
