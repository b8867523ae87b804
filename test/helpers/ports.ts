import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

/** A loopback port nothing listens on: one that was free a moment ago. */
export async function deadPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  return port;
}

/**
 * A loopback port held by a listener for the enclosing block (a port in use): listening before its
 * tests, closed after. Returns a getter.
 */
export function useBusyPort(): () => number {
  const busy = createServer();
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    port = (busy.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => busy.close(() => r())));
  return () => port;
}
