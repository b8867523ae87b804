// The bench's io_uring floor (bench/lib/koffi-uring-floor.mjs) is a measuring instrument, but its
// rates count only if it echoes like the servers it is compared with: every byte, in order, also
// when clients read late (sends queue behind one another, the provided buffers run out and the
// receives starved of them are re-armed), and it says so in one line where io_uring cannot run it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lateReader, pattern } from '../helpers/lateReader.js';

const SCRIPT = 'bench/lib/koffi-uring-floor.mjs';
const TOTAL = 16 * 1024 * 1024;
const probe = process.platform === 'linux' ? spawnSync(process.execPath, [SCRIPT, '--probe'], { encoding: 'utf8' }) : null;

describe.runIf(probe !== null)('bench io_uring floor: probe', () => {
  it('exits 0 where the design runs, 3 with one line where it does not', () => {
    expect([0, 3]).toContain(probe!.status);
    if (probe!.status === 3) expect(probe!.stderr.trim().split('\n')).toHaveLength(1);
    else expect(probe!.stderr).toBe('');
  });
});

describe.runIf(probe?.status === 0)('bench io_uring floor', () => {
  let child: ChildProcess;
  let port = 0;

  beforeAll(async () => {
    child = spawn(process.execPath, [SCRIPT, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! });
    const first = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no listening line within 15 s')), 15_000);
      lines.once('line', (l) => {
        clearTimeout(timer);
        resolve(l);
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code} before listening`)));
    });
    const info = JSON.parse(first) as { event: string; port: number };
    expect(info.event).toBe('listening');
    port = info.port;
  });

  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('echoes every byte in order to clients that read late', async () => {
    const inputs = [pattern(TOTAL, 3), pattern(TOTAL, 4), pattern(TOTAL, 5)];
    const echoes = await Promise.all(inputs.map((d) => lateReader(port, d, 300)));
    for (let k = 0; k < inputs.length; k++) {
      expect(echoes[k]!.length).toBe(TOTAL);
      expect(echoes[k]!.equals(inputs[k]!)).toBe(true);
    }
  }, 60_000);

  it('refuses a port it cannot use, with a one-line message', async () => {
    const r = spawn(process.execPath, [SCRIPT, '--port', 'x'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    r.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    const code = await new Promise<number | null>((resolve) => r.once('exit', resolve));
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/usage: .*--port/);
  });
});
