/** The library API: everything the CLI does is available here, without terminal output. */
export { startServer, validateServerOptions, DEFAULT_SERVER_OPTIONS, LIFETIME_FAULTS } from './server/index.js';
export type { BackendName, Lifetime, LifetimeFault, ServerHandle, ServerOptions, ServerStats } from './server/index.js';
export { IocpBenchError, SysError, UnsupportedError, UsageError } from './errors.js';
export { createProgram, runCli } from './cli.js';
export type { RunCliOptions } from './cli.js';
export { runFlood, FloodRun } from './client/flood.js';
export type {
  FloodEvents,
  FloodOptions,
  FloodResult,
  FloodStartInfo,
  FloodTick,
  FloodWait,
  IntervalSample,
  IntervalLatency,
  ResolvedFloodOptions,
} from './client/flood.js';
// The types the options, events and result above are made of, and the allowed values of options.
export type { Range } from './units.js';
export type { Stage, EngineConfig } from './client/options.js';
export { PROFILE_NAMES, type ProfileName } from './client/profiles.js';
export type { RateStage } from './client/run/rateSchedule.js';
export { DISCONNECT_MODES, type DisconnectMode, type Mix, type PlanOptions } from './client/run/scenarios.js';
export type { Shard, ShardedPlan } from './client/shard.js';
export type { TransportName } from './client/transport/transport.js';
export type { Assertion, AssertionResult, AssertMetric } from './client/verdict/assertions.js';
export type { ServerGone } from './client/verdict/serverGone.js';
export type { IntervalHistograms } from './client/verdict/samples.js';
export type { FaultSample, ErrorSample } from './client/run/clientEngine.js';
export type { LatencySummary, ErrorKind } from './client/run/floodCounters.js';
export type { FaultClass } from './client/verify/diagnose.js';
