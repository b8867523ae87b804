// The flood's header speaks of the plan as it will run: a plan of fewer connections in all than
// -c never has more than that many open at once, one connection is one connection, and -n beside
// -d is a limit too.
import { describe, expect, it } from 'vitest';
import { renderStartHeader } from '../../src/client/cli/report.js';
import type { FloodStartInfo } from '../../src/client/flood.js';

const info = (total: number | null, connections: number, durationMs = total === null ? 5000 : 0): FloodStartInfo => ({
  host: '127.0.0.1', port: 7777, embedded: false, backend: 'epoll', lifetime: null, total, durationMs, connections, workers: 2,
  seed: 1, transport: 'native', stages: [], rate: 0, msgRate: 0, msgStages: [], statsBefore: null,
});

describe('start header counts', () => {
  it.each([
    [1, 1000, 'up to 1 at once', 'plan: 1 connection |'],
    [200, 1000, 'up to 200 at once', 'plan: 200 connections |'],
    [5000, 1000, 'up to 1000 at once', 'plan: 5000 connections |'],
    [null, 1000, 'up to 1000 at once', 'plan: for 5s |'],
  ])('-n %s -c %s: "%s", "%s"', (total, connections, atOnce, plan) => {
    const text = renderStartHeader(info(total, connections));
    expect(text).toContain(`| ${atOnce} |`);
    expect(text).toContain(plan);
  });

  it('-n with -d: whichever limit comes first, as the run does', () => {
    expect(renderStartHeader(info(100, 1000, 2000))).toContain('plan: 100 connections or 2s, whichever ends first |');
  });
});
