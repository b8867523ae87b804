import { runFlood, type FloodOptions, type FloodResult } from '../../src/client/flood.js';

/** A small, quick flood: defaults sized for tests (bounded count and time). */
export async function quickFlood(port: number, opts: FloodOptions = {}): Promise<FloodResult> {
  return runFlood({
    target: `127.0.0.1:${port}`,
    connections: 40,
    total: 60,
    messages: { min: 2, max: 4 },
    size: { min: 64, max: 512 },
    seed: 1,
    workers: 0,
    timeoutMs: 1000,
    settleTimeoutMs: 3000,
    idleHoldMs: { min: 10, max: 100 },
    pendingBytes: 256 * 1024,
    ...opts,
  }).result;
}
