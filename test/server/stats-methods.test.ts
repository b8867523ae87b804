// The stats endpoint is read-only: GET and HEAD are served; any other method gets 405 with an
// Allow header that names both, as RFC 9110 asks (the methods the resource supports).
import { describe, expect, it } from 'vitest';
import { useServerProcess } from '../helpers/serverProcess.js';

describe('stats endpoint methods', () => {
  const server = useServerProcess([]);

  it('GET and HEAD are served; POST is 405 naming both', async () => {
    const url = server().statsUrl;
    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);
    const post = await fetch(url, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
