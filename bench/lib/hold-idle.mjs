// Child process of bench/run.mjs: opens COUNT idle TCP connections to 127.0.0.1:PORT, prints one
// JSON line {"opened":n,"failed":k,"ms":t} when they are all up, holds them until a line arrives on
// stdin (or stdin ends), then resets them all and exits. Runs in its own process so that its
// 10,000 descriptors count against its own RLIMIT_NOFILE, not the bench's.
//
//   node bench/lib/hold-idle.mjs PORT COUNT [CONCURRENCY]
import net from 'node:net';

const port = Number(process.argv[2]);
const count = Number(process.argv[3]);
const concurrency = Number(process.argv[4] ?? 500);
if (!Number.isInteger(port) || !Number.isInteger(count) || count < 1) {
  console.error('usage: node hold-idle.mjs PORT COUNT [CONCURRENCY]');
  process.exit(2);
}

// Never outlive a bench that died without telling us.
const watchdog = setTimeout(() => process.exit(3), 180_000);
watchdog.unref();

const sockets = [];
let failed = 0;
let closedEarly = 0;
let next = 0;
const t0 = performance.now();

function openOne() {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      failed++;
      s.destroy();
      resolve();
    }, 20_000);
    s.once('connect', () => {
      clearTimeout(timer);
      sockets.push(s);
      resolve();
    });
    s.on('error', () => {});
    s.once('close', () => {
      clearTimeout(timer);
      if (!sockets.includes(s)) {
        failed++;
        resolve();
      } else closedEarly++;
    });
  });
}

async function lane() {
  while (next < count) {
    next++;
    await openOne();
  }
}

await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
process.stdout.write(`${JSON.stringify({ opened: sockets.length, failed, ms: Math.round(performance.now() - t0) })}\n`);

function finish() {
  for (const s of sockets) s.resetAndDestroy();
  process.stdout.write(`${JSON.stringify({ closed: sockets.length, closedEarly })}\n`);
  setTimeout(() => process.exit(0), 200);
}
process.stdin.setEncoding('utf8');
process.stdin.once('data', finish);
process.stdin.once('end', finish);
