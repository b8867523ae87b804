/** The library API: everything the CLI does is available here, without terminal output. */
export { startServer, validateServerOptions, DEFAULT_SERVER_OPTIONS } from './server/index.js';
export type { BackendName, Lifetime, ServerHandle, ServerOptions, ServerStats } from './server/index.js';
export { IocpBenchError, SysError, UnsupportedError, UsageError } from './errors.js';
export { createProgram, runCli } from './cli.js';
export type { RunCliOptions } from './cli.js';
export { runFlood, FloodRun } from './client/flood.js';
export type { FloodOptions, FloodResult, FloodStartInfo, FloodTick, IntervalSample, IntervalLatency } from './client/flood.js';
