import { ioUringAvailable, nativeClientTransportAvailable } from '../../src/native/platform.js';
import type { TransportName } from '../../src/client/transport/transport.js';

/** The flood's client transports that run on this OS: behaviour tests run against each. */
export const TRANSPORTS: TransportName[] = nativeClientTransportAvailable()
  ? [...(ioUringAvailable() ? (['uring'] as const) : []), 'native', 'net']
  : ['net'];
