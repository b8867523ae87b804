// node bench/rtt.mjs -- the flood's round trip against an independent measurement, in one run.
//
// One plain echo server (Node `net`, on this machine), and against it, in turn: a minimal
// ping-pong client (one connection, 64 B, the next message written as soon as the echo is in,
// timed from just before write() to the 'data' event), and the flood (-c 1, 64 B, graceful) on
// each transport, on one client thread of its own (`--workers 1`, as the default runs) and on the
// calling thread (`--workers 0`, where a native transport's epoll_wait runs on libuv's thread pool). Rounds alternate the order; medians over rounds. Prints the
// flood's p50 and min as ratios to the ping-pong's: a round trip the flood under-measured would
// show as a min far below the ping-pong's.
//
//   node bench/rtt.mjs [--rounds N] [--messages N]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { pingPong } from '../test/helpers/pingPong.mjs';

// The echo server lives in this process: its clients must run without blocking it.
const run = async (args) => (await promisify(execFile)(process.execPath, args, { encoding: 'utf8' })).stdout;

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, messages: { type: 'string', default: '3000' } } });
const ROUNDS = Number(values.rounds);
const N = Number(values.messages);
const CLI = new URL('../bin/iocp-bench.js', import.meta.url).pathname;

const server = net.createServer((c) => {
  c.setNoDelay(true);
  c.on('data', (d) => c.write(d));
  c.on('end', () => c.end());
  c.on('error', () => {});
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;

async function flood(transport, workers) {
  const out = await run([CLI, 'flood', `127.0.0.1:${port}`, '-c', '1', '-n', '1', '--messages', String(N), '--size', '64',
    '--mix', 'graceful', '--transport', transport, '--workers', workers, '--json', '--no-progress']);
  const rt = JSON.parse(out).latencyUs.roundTrip;
  return { min: rt.min, p50: rt.p50 };
}

const transports = [];
for (const t of ['native', 'uring', 'net']) {
  try {
    await run([CLI, 'flood', `127.0.0.1:${port}`, '-c', '1', '-n', '1', '--messages', '2', '--transport', t, '--workers', '0', '--json', '--no-progress']);
    transports.push(t);
  } catch {
    // not on this machine
  }
}
// A row per client: `native` runs on a client thread of its own, `native w0` on the calling thread.
const clients = ['ping-pong', ...transports, ...transports.map((t) => `${t} w0`)];
const rows = Object.fromEntries(clients.map((c) => [c, []]));
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 ? [...clients].reverse() : clients;
  for (const who of order) {
    const [t, w0] = who.split(' ');
    rows[who].push(who === 'ping-pong' ? await pingPong(port, N) : await flood(t, w0 ? '0' : '1'));
  }
}
server.close();
const med = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
const ref = { min: med(rows['ping-pong'].map((x) => x.min)), p50: med(rows['ping-pong'].map((x) => x.p50)) };
console.log(`round trips, one connection, 64 B, plain Node echo server; medians of ${ROUNDS} rounds x ${N} messages`);
console.log('client       min µs   p50 µs   min ×ping-pong   p50 ×ping-pong');
for (const [who, xs] of Object.entries(rows)) {
  const m = { min: med(xs.map((x) => x.min)), p50: med(xs.map((x) => x.p50)) };
  console.log(`${who.padEnd(10)} ${m.min.toFixed(0).padStart(8)} ${m.p50.toFixed(0).padStart(8)} ${(m.min / ref.min).toFixed(2).padStart(16)} ${(m.p50 / ref.p50).toFixed(2).padStart(16)}`);
}
