/** The library API: everything the CLI does is available here, without terminal output. */
export { startServer, validateServerOptions } from './server/server.js';
export type { ServerHandle } from './server/handle.js';
export type { BackendName, Lifetime, ServerOptions, ServerStats } from './server/types.js';
export { DEFAULT_SERVER_OPTIONS } from './server/types.js';
export { IocpBenchError, SysError, UnsupportedError, UsageError } from './errors.js';
export { createProgram, runCli } from './cli.js';
export { runFlood, FloodRun } from './client/flood.js';
export type { FloodOptions, FloodResult, FloodStartInfo, FloodTick } from './client/flood.js';
