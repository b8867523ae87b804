// A request the stats endpoint cannot parse gets an HTTP status, not a dropped connection: 431
// for headers too large, 400 for a request line that is not HTTP. A scraper pointed at it by
// mistake sees an error it can diagnose.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useServerProcess } from '../helpers/serverProcess.js';

/** Sends `raw` and resolves with all the endpoint wrote back before it closed (bounded). */
function exchange(url: string, raw: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const s = connect({ host: hostname, port: Number(port) });
    let got = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no close within 10 s; got ${JSON.stringify(got)}`));
    }, 10_000);
    s.on('data', (d: Buffer) => (got += d.toString('latin1')));
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(timer);
      resolve(got);
    });
    s.write(raw);
  });
}

describe('stats endpoint: requests it cannot parse', () => {
  const server = useServerProcess([]);

  it('headers too large: 431, then the connection closes', async () => {
    const reply = await exchange(server().statsUrl, `GET /stats?${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
  });

  it('not HTTP: 400, then the connection closes', async () => {
    const reply = await exchange(server().statsUrl, 'HELLO\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  });

  it('still serves /stats afterwards', async () => {
    expect((await fetch(server().statsUrl)).status).toBe(200);
  });
});
