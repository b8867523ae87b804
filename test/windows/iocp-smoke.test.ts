// The CI smoke step of .github/workflows/ci.yml, against the Windows build under Wine: a server
// on the IOCP backend, a short flood from Linux with the leak check, and a graceful stop that
// must exit 0 with every session freed.
import { afterAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { killWineServer } from './wine.js';
import { startWineServer } from './wineServer.js';

describe('CI smoke under Wine', () => {
  afterAll(() => killWineServer());

  it('server, flood with --assert leaks==0,dataErrors==0, then a drained stop', async () => {
    const server = await startWineServer(['--backend', 'iocp', '--duration', '60s']);
    const flood = await runCliProcess(
      ['flood', `127.0.0.1:${server.port}`, '--stats', server.statsUrl, '-n', '1000', '-c', '100',
        '--no-progress', '--json', '--assert', 'leaks==0,dataErrors==0'],
      120_000,
    );
    const result = JSON.parse(flood.stdout);
    expect(flood.code, flood.stderr).toBe(0);
    expect(result.verdict).toBe('PASS');
    const code = await server.interrupt(30_000);
    expect(code).toBe(0);
    const stopped = JSON.parse(server.proc.lines().filter((l) => l.includes('"stopped"')).pop()!);
    expect(stopped.drained).toBe(true);
    expect(stopped.stats.sessions.accepted).toBe(stopped.stats.sessions.freed);
  });
});
