// The leak verdict: not run without stats (PASS if the data is right), clean or leak with them.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runFlood } from '../../src/client/flood.js';
import { startEchoServer, type EchoServer } from '../helpers/faultyServers.js';
import { quickFlood } from '../helpers/floodRun.js';
import { deadPort } from '../helpers/ports.js';
import { serveStats } from '../helpers/floodStatsServer.js';
import { TRANSPORTS } from '../helpers/transports.js';

describe('leak verdict', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });
  async function echo(leakEvery?: number): Promise<EchoServer> {
    const s = await startEchoServer({ leakEvery });
    cleanup.push(() => s.close());
    return s;
  }

  it.each(TRANSPORTS)('a correct server without stats: PASS, leak check reported as not run (%s transport)', async (transport) => {
    const s = await echo();
    const r = await quickFlood(s.port, { transport });
    expect(r.options.transport).toBe(transport);
    expect(r.faults.total).toBe(0);
    expect(r.errors.total).toBe(0);
    expect(r.connections.ok).toBe(60);
    expect(r.leak).toMatchObject({ status: 'not-run', leaks: null, before: null, after: null });
    expect(r.verdict).toBe('PASS');
  });

  it.each(TRANSPORTS)('a correct server with a /stats URL: clean, with before and after snapshots (%s transport)', async (transport) => {
    const s = await echo();
    const stats = await serveStats(s.stats);
    cleanup.push(stats.close);
    const r = await quickFlood(s.port, { stats: stats.url, transport });
    expect(r.leak).toMatchObject({ status: 'clean', leaks: 0, reasons: [] });
    expect(r.leak.before!.sessions.accepted).toBe(0);
    // connect-abort connections may or may not reach accept(); every accepted one must be freed.
    expect(r.leak.after!.sessions.live).toBe(0);
    expect(r.leak.after!.sessions.accepted).toBeGreaterThanOrEqual(50);
    expect(r.leak.after!.sessions.freed).toBe(r.leak.after!.sessions.accepted);
    expect(r.verdict).toBe('PASS');
  });

  it.each(TRANSPORTS)('a server whose sessions are not all freed: FAIL with the leak named (%s transport)', async (transport) => {
    const s = await echo(10);
    const r = await quickFlood(s.port, { stats: s.stats, settleTimeoutMs: 600, transport });
    expect(r.leak.status).toBe('leak');
    expect(r.leak.reasons.join()).toMatch(/accepted \d+ != freed \d+/);
    expect(r.verdict).toBe('FAIL');
    expect(r.reasons.join()).toMatch(/leak/);
  });

  it('an unreachable stats URL stops the flood before it starts, saying why', async () => {
    const s = await echo();
    const closedPort = await deadPort();
    const run = runFlood({ target: `127.0.0.1:${s.port}`, stats: `http://127.0.0.1:${closedPort}/stats`, workers: 0 });
    let started = false;
    run.on('start', () => (started = true));
    await expect(run.result).rejects.toThrow(/cannot read server stats from http:\/\/127\.0\.0\.1:\d+\/stats: ECONNREFUSED$/);
    expect(started).toBe(false);
  });

  it('a stats URL that answers something else stops the flood before it starts, saying so', async () => {
    const s = await echo();
    // An ordinary web server: HTML on /page, an empty JSON object on /empty, some counters on /sparse.
    const web = http.createServer((req, res) => {
      if (req.url === '/empty') res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      else if (req.url === '/sparse') res.writeHead(200, { 'content-type': 'application/json' }).end('{"sessions":{"live":0,"peak":0,"accepted":0,"freed":0,"rejected":0},"ops":{"outstanding":0}}');
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><p>hello</p>');
    });
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    cleanup.push(
      () =>
        new Promise<void>((r) => {
          web.closeAllConnections();
          web.close(() => r());
        }),
    );
    const base = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
    for (const [path, why] of [
      ['/page', "did not answer JSON: is it the server's /stats URL?"],
      ['/empty', 'did not return server stats (no sessions/ops fields)'],
      // Counters a saved result's readers (report, merge) need too: refused here, not there.
      ['/sparse', 'did not return server stats (missing or not a number: staleCompletions, bytes.in, bytes.out)'],
    ] as const) {
      const run = runFlood({ target: `127.0.0.1:${s.port}`, stats: `${base}${path}`, workers: 0 });
      let started = false;
      run.on('start', () => (started = true));
      await expect(run.result).rejects.toThrow(`${base}${path} ${why}`);
      expect(started).toBe(false);
    }
  });
});
