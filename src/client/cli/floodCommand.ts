import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { usageError } from '../../errors.js';
import type { BackendName, Lifetime } from '../../server/index.js';
import { runFlood, type FloodOptions } from '../flood.js';
import { attachProgress, stopNote } from './progress.js';
import { renderReport } from './report.js';
import { MAX_MESSAGES } from '../options.js';
import { FRAME_HEADER_BYTES, MAX_FRAME_BYTES } from '../verify/frame.js';
import { DISCONNECT_MODES, parseMix } from '../run/scenarios.js';
import { parseBytes, parseCount, parseDurationMs, parseRange } from '../../units.js';

/** The flags as commander hands them over (strings until parsed here). */
export interface FloodFlags {
  connections: string;
  total?: string;
  duration?: string;
  rate: string;
  messages: string;
  size: string;
  split?: boolean;
  mix?: string;
  seed?: string;
  workers: string;
  timeout: string;
  hold: string;
  stats?: string;
  json?: boolean;
  assert?: string;
  progress: boolean;
  backend?: string;
  lifetime?: string;
  transport: string;
}

/** Turns the command line into runFlood() options. Throws UsageError on the first bad value. */
export function floodOptionsFromFlags(target: string | undefined, f: FloodFlags): FloodOptions {
  const o: FloodOptions = {
    connections: parseCount('--connections', f.connections, 1),
    rate: parseCount('--rate', f.rate),
    messages: parseRange('--messages', f.messages, (n, v) => parseCount(n, v, 1, MAX_MESSAGES)),
    size: parseRange('--size', f.size, (n, v) => parseBytes(n, v, FRAME_HEADER_BYTES, MAX_FRAME_BYTES)),
    split: f.split ?? false,
    workers: parseCount('--workers', f.workers, 0, 64),
    timeoutMs: parseDurationMs('--timeout', f.timeout, 's', 1),
    idleHoldMs: parseRange('--hold', f.hold, (n, v) => parseDurationMs(n, v, 'ms', 0)),
    transport: (f.transport ?? 'auto') as FloodOptions['transport'],
  };
  if (target !== undefined) o.target = target;
  if (f.total !== undefined) o.total = parseCount('--total', f.total, 1);
  if (f.duration !== undefined) o.durationMs = parseDurationMs('--duration', f.duration, 's', 1);
  if (f.mix !== undefined) o.mix = parseMix(f.mix);
  if (f.seed !== undefined) o.seed = parseCount('--seed', f.seed, 0, 0xffffffff);
  if (f.assert !== undefined) o.assert = f.assert;
  if (f.stats !== undefined) {
    if (target === undefined) throw usageError('--stats', 'needs a target: the embedded server is read directly', f.stats);
    if (!/^https?:\/\//.test(f.stats)) throw usageError('--stats', 'not an http:// URL', f.stats);
    o.stats = f.stats;
  }
  if (f.backend !== undefined || f.lifetime !== undefined) {
    if (target !== undefined) throw usageError('--backend, --lifetime', 'for the embedded server only, not with a target', target);
    o.server = {};
    if (f.backend !== undefined) o.server.backend = f.backend as BackendName | 'auto';
    if (f.lifetime !== undefined) o.server.lifetime = f.lifetime as Lifetime;
  }
  return o;
}

/** Registers `flood [host:port]`: options -> runFlood() -> progress and report. */
export function addFloodCommand(program: Command): void {
  program
    .command('flood')
    .description(
      'Open thousands of connections, verify every echoed byte, disconnect in every abrupt way, ' +
        "and judge the server's session lifetime from its counters. Without a target, floods an embedded server.",
    )
    .argument('[target]', 'host:port of the echo server (default: start an embedded server on an ephemeral port)')
    .option('-c, --connections <n>', 'connections open at the same time', '1000')
    .option('-n, --total <n>', 'connections to run in all (default: --connections; unlimited with --duration)')
    .option('-d, --duration <time>', 'keep opening connections this long (30s, 2m)')
    .option('--rate <n>', 'new connections per second, 0 = as fast as possible', '0')
    .option('--messages <range>', 'messages per connection (a value or a range like 1-20)', '1-20')
    .option('--size <range>', 'message size in bytes, 16-byte frame header included (like 16-4096, 4k)', '16-4096')
    .option('--split', 'cut writes at random points, to exercise partial reads')
    .option('--mix <weights>', `disconnect mode weights, like graceful=3,connect-rst=1 (modes: ${DISCONNECT_MODES.join(', ')}; default: all)`)
    .option('--seed <n>', 'seed of the plan: the same seed gives connection i the same mode and sizes (default: random)')
    .option('--workers <n>', 'client threads (0 = run on the main thread)', String(Math.min(4, availableParallelism())))
    .option('--timeout <time>', 'how long an echo may make no progress before it counts as stalled', '5s')
    .option('--hold <time>', 'how long idle holders stay connected (a time or a range like 1s-5s)', '100ms-1s')
    .option('--stats <url>', "the target server's /stats URL, for the leak verdict")
    .option('--json', 'print one JSON object (the result) instead of the report')
    .option('--assert <checks>', 'checks that fail the run, like leaks==0,dataErrors==0,p99<20ms')
    .option('--no-progress', 'no live progress line on stderr')
    .option('--transport <name>', 'client sockets: uring (native, its reads and sends batched through io_uring), native (non-blocking sockets over epoll, Linux), net (Node net) or auto (uring, else native, where they run; else net)', 'auto')
    .addOption(new Option('--backend <name>', 'embedded server backend').choices(['auto', 'epoll', 'iocp', 'node']))
    .addOption(new Option('--lifetime <mode>', 'embedded server session lifetime (naive demonstrates the bug)').choices(['refcount', 'naive']))
    .action(async (target: string | undefined, flags: FloodFlags) => {
      const run = runFlood(floodOptionsFromFlags(target, flags));
      const bar = flags.progress && process.stderr.isTTY;
      // First Ctrl-C (or SIGTERM, as from `timeout`): open no more connections and report;
      // second: abort the running ones too. The progress bar says so; without it, one line on
      // stderr does.
      let interrupts = 0;
      let last: NodeJS.Signals = 'SIGINT';
      if (bar) attachProgress(run, process.stderr, () => last);
      const onSignal = (signal: NodeJS.Signals) => {
        last = signal;
        const kind = ++interrupts === 1 ? 'stop' : 'abort';
        if (kind === 'stop') run.stop();
        else run.abort();
        if (!bar) process.stderr.write(`flood: ${stopNote(kind, signal)}\n`);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const result = await run.result;
        process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : renderReport(result, { color: process.stdout.isTTY }));
        process.exitCode = result.verdict === 'PASS' ? 0 : 1;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
