/**
 * An independent round-trip measurement: a minimal Node ping-pong client in a child process of its
 * own (as the flood runs), one connection, the next message written as soon as the whole echo is
 * in, each round trip timed from just before write() to the 'data' event that completes it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface RoundTrips {
  min: number;
  p50: number;
}

export async function pingPong(port: number, messages: number, size = 64): Promise<RoundTrips> {
  const src = `
    const net = require('net'); const s = net.connect(${port}, '127.0.0.1'); s.setNoDelay(true);
    const buf = Buffer.alloc(${size}, 7); const rtts = []; let t = 0, got = 0;
    const timer = setTimeout(() => process.exit(3), 30000);
    s.on('connect', () => { t = performance.now(); s.write(buf); });
    s.on('data', (d) => { got += d.length; while (got >= ${size}) { got -= ${size}; rtts.push((performance.now() - t) * 1000);
      if (rtts.length === ${messages}) { rtts.sort((a, b) => a - b); console.log(JSON.stringify({ min: rtts[0], p50: rtts[${messages} >> 1] })); process.exit(0); }
      t = performance.now(); s.write(buf); } });`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', src], { encoding: 'utf8', timeout: 40_000 });
  return JSON.parse(stdout) as RoundTrips;
}
