/**
 * An independent round-trip measurement: a minimal Node ping-pong client in a child process of its
 * own (as the flood runs), one connection, the next message written as soon as the whole echo is
 * in, each round trip timed from just before write() to the 'data' event that completes it.
 * Plain JavaScript (types in pingPong.d.mts) so that the tests and bench/rtt.mjs share it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** { min, p50 } in µs over `messages` round trips of `size` bytes to 127.0.0.1:port. */
export async function pingPong(port, messages, size = 64) {
  // Bounded: 30 s, and a millisecond more per message.
  const limitMs = 30_000 + messages;
  const src = `
    const net = require('net'); const s = net.connect(${port}, '127.0.0.1'); s.setNoDelay(true);
    const buf = Buffer.alloc(${size}, 7); const rtts = []; let t = 0, got = 0;
    const timer = setTimeout(() => process.exit(3), ${limitMs});
    s.on('connect', () => { t = performance.now(); s.write(buf); });
    s.on('data', (d) => { got += d.length; while (got >= ${size}) { got -= ${size}; rtts.push((performance.now() - t) * 1000);
      if (rtts.length === ${messages}) { rtts.sort((a, b) => a - b); console.log(JSON.stringify({ min: rtts[0], p50: rtts[${messages} >> 1] })); process.exit(0); }
      t = performance.now(); s.write(buf); } });`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', src], { encoding: 'utf8', timeout: limitMs + 10_000 });
  return JSON.parse(stdout);
}
