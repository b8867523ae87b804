import { ioUringAvailable, nativeClientTransportAvailable } from '../../src/server/backend.js';
import type { TransportName } from '../../src/client/transport.js';

/** The flood's client transports that run on this OS: behaviour tests run against each. */
export const TRANSPORTS: TransportName[] = nativeClientTransportAvailable()
  ? [...(ioUringAvailable() ? (['uring'] as const) : []), 'native', 'net']
  : ['net'];
