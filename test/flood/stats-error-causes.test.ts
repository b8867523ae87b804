// A stats URL that fails names the real cause: no answer in time, a body that stops arriving,
// a body cut off, something that is not JSON. (statsFromUrl with a short timeout; the flood uses 5 s.)
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statsFromUrl } from '../../src/client/verdict/leakCheck.js';

describe('stats errors name their cause', () => {
  let server: http.Server;
  let base = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/silent') return; // never answers
      if (req.url === '/stalls') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' }).write('{"sessions":');
        return; // the rest never comes
      }
      if (req.url === '/cut') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' }).write('{"sessions":');
        setImmediate(() => res.destroy());
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>hello</p>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );

  it.each([
    ['/silent', /^cannot read server stats from http:\/\/127\.0\.0\.1:\d+\/silent: no answer within 0\.3 s$/],
    ['/stalls', /^cannot read server stats from http:\/\/127\.0\.0\.1:\d+\/stalls: its body did not arrive within 0\.3 s$/],
    ['/cut', /^cannot read server stats from http:\/\/127\.0\.0\.1:\d+\/cut: its body was cut off \(.+\)$/],
    ['/html', /^http:\/\/127\.0\.0\.1:\d+\/html did not answer JSON: is it the server's \/stats URL\?$/],
  ])('%s', async (path, message) => {
    await expect(statsFromUrl(`${base}${path}`, 300)()).rejects.toThrow(message);
  });
});
