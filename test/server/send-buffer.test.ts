// --send-buffer sets SO_SNDBUF on every accepted socket (the kernel doubles the value it is given,
// as socket(7) says); without it the server keeps the OS's default. Read back with ss(8).
import { execFileSync } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.js';
import { COMPLETION_VARIANTS } from '../helpers/serverVariants.js';

/** sk_sndbuf (ss's `tb`) of the server's end of each established connection on `port`. */
function serverSendBuffers(port: number): number[] {
  const out = execFileSync('ss', ['-tmnH', 'state', 'established', `( sport = :${port} )`], { encoding: 'utf8' });
  return [...out.matchAll(/\btb(\d+)/g)].map((m) => Number(m[1]));
}

/** ss until `ok` holds for the server's sockets or 5 s pass (the setsockopt follows the accept). */
async function settleBuffers(port: number, ok: (tb: number[]) => boolean): Promise<number[]> {
  const until = Date.now() + 5000;
  let tb = serverSendBuffers(port);
  while (!ok(tb) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    tb = serverSendBuffers(port);
  }
  return tb;
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.on('error', reject);
  });
}

const linux = COMPLETION_VARIANTS.filter((v) => v.backend === 'epoll');

describe.runIf(linux.length > 0).each(linux)('$name backend', ({ args }) => {
  let server: ServerProcess | undefined;
  const clients: Socket[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.stop('SIGKILL');
  });

  it('--send-buffer 4k gives every accepted socket an 8 KiB send buffer', async () => {
    server = await startServerProcess([...args, '--send-buffer', '4k']);
    for (let i = 0; i < 3; i++) clients.push(await open(server.port));
    const tb = await settleBuffers(server.port, (b) => b.length === 3 && b.every((v) => v === 8192));
    expect(tb).toEqual([8192, 8192, 8192]);
  });

  it('without it, the OS default (loopback autotunes far above 8 KiB)', async () => {
    server = await startServerProcess(args);
    clients.push(await open(server.port));
    const tb = await settleBuffers(server.port, (b) => b.length === 1);
    expect(tb).toHaveLength(1);
    expect(tb[0]).toBeGreaterThan(8192);
  });
});
