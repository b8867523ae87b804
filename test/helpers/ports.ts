import { createServer, type AddressInfo } from 'node:net';

/** A loopback port nothing listens on: one that was free a moment ago. */
export async function deadPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  return port;
}
