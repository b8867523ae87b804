// Interval percentiles are true per interval, not cumulative: against an echo server that adds
// 20 ms to every echo only between seconds 3 and 5 (from its first connection), the samples of
// those seconds show p50 >= 20 ms, and the samples clearly before or after do not.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { CLI } from '../helpers/serverProcess.js';
import type { IntervalSample } from '../../src/client/verdict/samples.js';

const SLOW_FROM_MS = 3000;
const SLOW_UNTIL_MS = 5000;
const DELAY_MS = 20;
const DURATION_MS = 8000;

/** An echo server whose echoes wait DELAY_MS while it is SLOW_FROM_MS..SLOW_UNTIL_MS past its first connection. */
async function slowWindowEcho(): Promise<{ port: number; close(): Promise<void> }> {
  let first: number | null = null;
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    first ??= performance.now();
    const t0 = first;
    sockets.add(s);
    s.setNoDelay(true);
    // Each echo waits until DELAY_MS after its data came (a timer may fire a little early: it
    // waits again), and after the echo before it, so that echoes stay in order.
    let tail: Promise<void> = Promise.resolve();
    const later = (step: () => void, until: number) => {
      const wait = (): Promise<void> | undefined =>
        performance.now() >= until ? undefined : new Promise<void>((r) => setTimeout(r, until - performance.now())).then(wait);
      tail = tail.then(wait).then(step);
    };
    s.on('data', (d: Buffer) => {
      const now = performance.now();
      const slow = now - t0 >= SLOW_FROM_MS && now - t0 < SLOW_UNTIL_MS;
      later(() => {
        if (!s.destroyed && s.writable) s.write(d);
      }, slow ? now + DELAY_MS : 0);
    });
    s.on('end', () => later(() => s.end(), 0));
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

let dir = '';
let echo: { port: number; close(): Promise<void> } | null = null;
afterEach(async () => {
  await echo?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('samples inside the slow seconds show p50 >= 20 ms, samples clearly outside do not', async () => {
  echo = await slowWindowEcho();
  dir = mkdtempSync(path.join(tmpdir(), 'iocp-out-'));
  const file = path.join(dir, 'samples.ndjson');
  // Open loop at a fixed rate: the slow seconds complete as many round trips as the others. (In
  // closed loop they would complete a hundred times fewer, and the fast ones of the few ms by
  // which the server's clock, started at its first connection, runs behind the flood's would
  // weigh as much in the interval's p50.) 40 connections x 4 in flight carry the 40 echoes that
  // are in flight in the slow seconds, so nothing queues behind them afterwards.
  const argv = [CLI, 'flood', `127.0.0.1:${echo.port}`, '-d', `${DURATION_MS}ms`, '-c', '40', '--msg-rate', '2000', '--pipeline', '4', '--messages', '1000', '--size', '64-256'];
  const child = spawn(process.execPath, [...argv, '--workers', '1', '--timeout', '10s', '--out', file, '--no-progress'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(kill);
  expect(code, output).toBe(0);
  const samples = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as IntervalSample);
  const start = (s: IntervalSample) => s.elapsedMs - s.intervalMs;
  const inside = samples.filter((s) => start(s) >= SLOW_FROM_MS && s.elapsedMs <= SLOW_UNTIL_MS && s.roundTripUs.count > 0);
  // The wind-down after the duration is left out: nothing is sent then, so its few round trips are
  // only those still in flight at the end, which favours slow ones (fast ones sent at the same
  // time had already completed). One scheduling hiccup of a loaded machine in the last
  // milliseconds makes them all slow; in a full interval they are a few of thousands.
  const outside = samples.filter((s) => (s.elapsedMs <= 2500 || start(s) >= 5500) && start(s) < DURATION_MS && s.roundTripUs.count > 0);
  const shown = samples.map((s) => `${start(s)}-${s.elapsedMs} ms: p50 ${s.roundTripUs.p50} µs of ${s.roundTripUs.count}`).join('\n');
  expect(inside.length, shown).toBeGreaterThanOrEqual(1);
  expect(outside.length, shown).toBeGreaterThanOrEqual(3);
  for (const s of inside) expect(s.roundTripUs.p50, shown).toBeGreaterThanOrEqual(DELAY_MS * 1000);
  for (const s of outside) expect(s.roundTripUs.p50, shown).toBeLessThan(DELAY_MS * 1000);
}, 90_000);
