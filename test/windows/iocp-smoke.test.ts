// The CI smoke step of .github/workflows/ci.yml, against the Windows build under Wine (or natively
// on Windows: wine.ts): a server on the IOCP backend, a short flood from the test's machine with
// the leak check, and a graceful stop that must exit 0 with every session freed.
import { afterAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { USE_WINE, WHERE, killWineServer } from './wine.js';
import { startWineServer } from './wineServer.js';

// Natively Node cannot send a child Ctrl-C: the server stops itself at the end of its --duration
// (as scripts/smoke.mjs has it there), which interrupt() waits for.
const DURATION = USE_WINE ? '60s' : '40s';
const STOP_MS = USE_WINE ? 30_000 : 60_000;

describe(`CI smoke ${WHERE}`, () => {
  afterAll(() => killWineServer());

  it('server, flood with --assert leaks==0,dataErrors==0, then a drained stop', async () => {
    const server = await startWineServer(['--backend', 'iocp', '--duration', DURATION]);
    const flood = await runCliProcess(
      ['flood', `127.0.0.1:${server.port}`, '--stats', server.statsUrl, '-n', '1000', '-c', '100',
        '--no-progress', '--json', '--assert', 'leaks==0,dataErrors==0'],
      120_000,
    );
    const result = JSON.parse(flood.stdout);
    expect(flood.code, flood.stderr).toBe(0);
    expect(result.verdict).toBe('PASS');
    const code = await server.interrupt(STOP_MS);
    expect(code).toBe(0);
    const stopped = JSON.parse(server.proc.lines().filter((l) => l.includes('"stopped"')).pop()!);
    expect(stopped.drained).toBe(true);
    expect(stopped.stats.sessions.accepted).toBe(stopped.stats.sessions.freed);
  });
});
