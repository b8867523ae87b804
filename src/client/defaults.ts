/**
 * The flood's option defaults, apart from options.ts so that the command's help text can show
 * them without loading the flood (and koffi, through the transport probes).
 */
import { availableParallelism } from 'node:os';

/** The defaults of FloodOptions (the help text shows them too). */
export const FLOOD_DEFAULTS = {
  connections: 1000,
  rate: 0,
  msgRate: 0,
  pipeline: 1,
  messages: { min: 1, max: 20 },
  size: { min: 16, max: 4096 },
  timeoutMs: 5000,
  idleHoldMs: { min: 100, max: 1000 },
  settleTimeoutMs: 15_000,
  pendingBytes: 1024 * 1024,
  transport: 'auto',
  intervalMs: 1000,
} as const;

/** Default client threads: one per core, at most four. */
export function defaultWorkers(): number {
  return Math.min(4, availableParallelism());
}

