/**
 * The server's public entry: what the library API and the flood's embedded server may use. Nothing
 * outside src/server/ imports any other file of it.
 */
export { startServer, validateServerOptions } from './server.js';
export type { ServerHandle } from './handle.js';
export type { BackendName, Lifetime, ServerOptions, ServerStats } from './types.js';
export { DEFAULT_SERVER_OPTIONS } from './types.js';
export { LIFETIME_FAULTS, type LifetimeFault } from './bugZoo.js';
