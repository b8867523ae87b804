// The flood against the IOCP backend under Wine (or natively on Windows: wine.ts): 20,000
// connections churned with the full mix, zero data faults, a clean leak verdict; and against the
// naive lifetime, FAIL naming why.
import { afterAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';
import { WINDOWS_SCALE } from '../helpers/serverLaunchers.js';
import { USE_WINE, WHERE, killWineServer } from './wine.js';
import { startWineServer } from './wineServer.js';

// Natively on Windows a quarter, as test/flood/backends.test.ts: the flood's client-first closes
// each hold a port in TIME_WAIT for minutes, and this runs right after `npm test` (WINDOWS_SCALE).
const TOTAL = USE_WINE ? 20_000 : Math.round(20_000 * WINDOWS_SCALE);

async function flood(port: number, statsUrl: string, total: string): Promise<{ code: number | null; result: any }> {
  const r = await runCliProcess(
    ['flood', `127.0.0.1:${port}`, '--stats', statsUrl, '-n', total, '-c', '500', '--seed', '11', '--json', '--no-progress'],
    600_000,
  );
  return { code: r.code, result: JSON.parse(r.stdout) };
}

describe(`flood against the IOCP backend ${WHERE}`, () => {
  afterAll(() => killWineServer());

  it(`refcount lifetime: ${TOTAL.toLocaleString('en-US')} connections, full mix, PASS`, async () => {
    const server = await startWineServer(['--backend', 'iocp']);
    try {
      const { code, result } = await flood(server.port, server.statsUrl, USE_WINE ? '20k' : String(TOTAL));
      expect(result.reasons).toEqual([]);
      expect(code).toBe(0);
      expect(result.connections.started).toBe(TOTAL);
      expect(result.faults.total).toBe(0);
      expect(result.leak.status).toBe('clean');
      expect(result.leak.after.staleCompletions).toBe(0);
    } finally {
      await server.proc.kill(2000);
    }
  }, 600_000);

  it('naive lifetime: FAIL naming stale completions or cross-talk', async () => {
    const server = await startWineServer(['--backend', 'iocp', '--lifetime', 'naive']);
    try {
      const { code, result } = await flood(server.port, server.statsUrl, '3000');
      expect(code).toBe(1);
      expect(result.verdict).toBe('FAIL');
      expect(result.reasons.join('; ')).toMatch(/stale completion|foreign/);
    } finally {
      await server.proc.kill(2000);
    }
  }, 600_000);
});
