/**
 * `iocp-bench flood [host:port]`: the flags (read by floodFlags.ts) -> runFlood() -> a progress
 * bar on a terminal, then the report or one JSON object, and the exit code. Ctrl-C stops, twice
 * aborts. Options are checked and defaulted by runFlood(), not here.
 */
import { Option, type Command } from 'commander';
import { LIFETIME_FAULTS } from '../../server/index.js';
import { PROFILE_NAMES } from '../profiles.js';
import { formatMs, type Range } from '../../units.js';
import { defaultWorkers, FLOOD_DEFAULTS as D } from '../defaults.js';
import { DISCONNECT_MODES } from '../run/scenarios.js';
import type { FloodFlags } from './floodFlags.js';

/** Registers `flood [host:port]`. The defaults shown in the help are runFlood()'s own. */
export function addFloodCommand(program: Command): void {
  program
    .command('flood')
    .description(
      'Open thousands of connections, verify every echoed byte, disconnect in every abrupt way, ' +
        "and judge the server's session lifetime from its counters. Without a target, floods an embedded server.",
    )
    .argument('[target]', 'host:port of the echo server (default: start an embedded server on an ephemeral port)')
    .option('-c, --connections <n>', `connections open at the same time (default: ${D.connections})`)
    .option('-n, --total <n>', 'connections to run in all, at most 2147483646 (default: --connections; unlimited with --duration)')
    .option('-d, --duration <time>', 'keep opening connections this long (30s, 2m)')
    .option('--stages <list>', 'ramp the connections open at once: duration:target stages like 10s:1000,30s:5000,10s:0, each linear from the previous target (0 at the start); instead of -c, -n and -d')
    .option('--rate <n>', `new connections per second (fractions allowed: 0.5 = one every 2 s), 0 = as fast as possible (default: ${D.rate})`)
    .option(
      '--msg-rate <n|stages>',
      'open loop: messages per second over the whole run, each sent at its scheduled time whether or not earlier echoes came back; ' +
        'round trips then count from that time (corrected for coordinated omission). Graceful connections only. ' +
        'Stages like 10s:1000,30s:5000,10s:0 ramp the rate linearly instead, and set how long the run lasts ' +
        `(default: ${D.msgRate}, closed loop)`,
    )
    .option('--pipeline <n>', `with --msg-rate: frames one connection may have in flight at once (default: ${D.pipeline})`)
    .option('--messages <range>', `messages per connection (a value or a range like 1-20) (default: ${rangeText(D.messages, String)})`)
    .option('--size <range>', `message size in bytes, 16-byte frame header included (like 16-4096, 4k) (default: ${rangeText(D.size, String)})`)
    .option('--split', 'cut writes at random points, to exercise partial reads')
    .option('--mix <weights>', `disconnect mode weights, like graceful=3,connect-rst=1 (modes: ${DISCONNECT_MODES.join(', ')}; default: all)`)
    .option('--seed <n>', 'seed of the plan: the same seed gives connection i the same mode and sizes (default: random)')
    .option('--workers <n>', `client threads (0 = on the main thread: ~30 µs more per round trip on native transports) (default: ${defaultWorkers()})`)
    .option('--timeout <time>', `how long an echo may make no progress before it counts as stalled (default: ${formatMs(D.timeoutMs)})`)
    .option('--hold <time>', `how long idle holders stay connected (a time or a range like 1s-5s; a bare number is seconds) (default: ${rangeText(D.idleHoldMs, formatMs)})`)
    .option('--stats <url>', "the target server's /stats URL, for the leak verdict")
    .option('--json', 'print one JSON object (the result) instead of the report')
    .option(
      '--out <file>',
      'write one sample per --interval as it is taken: NDJSON (one JSON object a line), or CSV when the file ends in .csv; ' +
        '- writes to stdout (the report then goes to stderr; not with --json)',
    )
    .option('--interval <time>', `length of one sample of --out and of the result's samples (1s, 500ms) (default: ${formatMs(D.intervalMs)})`)
    .option('--report <file>', 'also write the HTML report to this file: one self-contained page with charts (iocp-bench report renders a saved --json result)')
    .option('--assert <checks>', 'checks that fail the run, like leaks==0,dataErrors==0,p99<20ms')
    .option('--shard <i/N>', 'run only segment i (1-based) of N of the plan: N shards with the same options and --seed together run the unsharded flood (README, "Scaling out")')
    .option('--shard-index <i>', 'the same as --shard i/N, in two flags (with --shard-count)')
    .option('--shard-count <N>', 'the number of shards (with --shard-index)')
    .option('--start-at <time>', 'once set up, wait until this ISO time (2025-01-01T12:00:00Z) or +seconds from now, then start: shards start together')
    .option('--source <addrs>', 'bind connections to these local addresses, round robin: a list (127.0.0.2,127.0.0.3) or an IPv4 range (127.0.0.2-127.0.0.9)')
    .option('--no-progress', 'no live progress line on stderr')
    .option(
      '--transport <name>',
      'client sockets: uring (native, its reads and sends batched through io_uring), native (non-blocking sockets over epoll, Linux), ' +
        `net (Node net) or auto (uring, else native, where they run; else net) (default: ${D.transport})`,
    )
    .addOption(
      new Option('--profile <name>', 'a preset of these options that flags given override: stress hunts refcount bugs for 20 s (README, "Bug zoo")').choices([
        ...PROFILE_NAMES,
      ]),
    )
    .addOption(new Option('--backend <name>', 'embedded server backend').choices(['auto', 'epoll', 'iocp', 'node']))
    .addOption(new Option('--lifetime <mode>', 'embedded server session lifetime (naive demonstrates the bug; a zoo fault puts back one refcount bug)').choices(['refcount', 'naive', ...LIFETIME_FAULTS]))
    .option('--send-buffer <bytes>', "embedded server: SO_SNDBUF of its accepted sockets (4k makes its sends go pending often; the stress profile's); 0 = the OS default")
    .action(async (target: string | undefined, flags: FloodFlags) => {
      // The flood itself loads only when it runs: `--help` and `--version` stay quick.
      const { runFloodCommand } = await import('./floodAction.js');
      await runFloodCommand(target, flags);
    });
}

function rangeText(r: Range, show: (n: number) => string): string {
  return r.min === r.max ? show(r.min) : `${show(r.min)}-${show(r.max)}`;
}
