/**
 * The server's public entry: what the library API and the flood's embedded server may use. Nothing
 * outside src/server/ imports any other file of it.
 */
import type { ServerHandle } from './handle.js';
import type { ServerOptions } from './types.js';

/**
 * Starts the echo server (see server.ts). The server's modules load on the first call, so that
 * importing this entry (for its types, names and option checks) stays cheap.
 */
export async function startServer(partial: Partial<ServerOptions> = {}): Promise<ServerHandle> {
  const server = await import('./server.js');
  return server.startServer(partial);
}
export { validateServerOptions } from './validate.js';
export type { ServerHandle } from './handle.js';
export type { BackendName, Lifetime, ServerOptions, ServerStats } from './types.js';
export { DEFAULT_SERVER_OPTIONS } from './types.js';
export { LIFETIME_FAULTS, type LifetimeFault } from './bugZoo.js';
