// The node backend hears every accept that fails once it is listening ('error' on its net.Server,
// as Node reports ENFILE, ENOMEM or an EMFILE that libuv could not absorb): it counts each in
// acceptFailures and serves on. Unheard, the second such error would end the process. The errors
// are emitted here as Node emits them: running out of descriptors for real would not tell which
// of libuv's paths was taken.
import net from 'node:net';
import { expect, it, vi } from 'vitest';

const made = vi.hoisted(() => [] as import('node:net').Server[]);
vi.mock('node:net', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:net')>();
  const createServer = ((...args: Parameters<typeof real.createServer>) => {
    const server = real.createServer(...args);
    made.push(server);
    return server;
  }) as typeof real.createServer;
  return { ...real, createServer, default: { ...real, createServer } };
});
const { startServer } = await import('../../src/server/index.js');

function echoOnce(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect({ host: '127.0.0.1', port }, () => c.end('ping'));
    let got = '';
    c.on('data', (d) => (got += d));
    c.on('end', () => resolve(got));
    c.on('error', reject);
    c.setTimeout(5000, () => c.destroy(new Error('no echo in 5 s')));
  });
}

it('counts accepts that fail and serves on', async () => {
  const server = await startServer({ backend: 'node', host: '127.0.0.1', port: 0, statsPort: null });
  try {
    const echo = made.find((s) => (s.address() as net.AddressInfo | null)?.port === server.address.port);
    expect(echo).toBeDefined();
    for (const code of ['EMFILE', 'ENFILE', 'ENOMEM']) {
      echo!.emit('error', Object.assign(new Error(`accept ${code}`), { code, syscall: 'accept' }));
    }
    expect(server.stats().extra.acceptFailures).toBe(3);
    expect(await echoOnce(server.address.port)).toBe('ping');
  } finally {
    await server.close();
  }
});
