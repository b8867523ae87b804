/** `iocp-bench server`: flags -> startServer() -> a start-up line, then a summary at the stop. */
import { Option, type Command } from 'commander';
import { formatBytes, formatSpan, isLoopbackHost, parseBytes, parseCount, parseDurationMs, parseInteger } from '../units.js';
import { LIFETIME_FAULTS } from './bugZoo.js';
import type { BackendName, Lifetime, ServerOptions, ServerStats } from './types.js';
import { DEFAULT_SERVER_OPTIONS as D } from './types.js';
import { signalCounter } from '../signals.js';
import { openSampleOut } from '../sampleOut.js';
import { errorEventLine, usageError } from '../errors.js';
import { settleExitCode, type CliRun } from '../cliRun.js';
import { doubleFrees, sampleServer, SERVER_SAMPLE_COLUMNS } from './serverSamples.js';

/** Each of these starts the drain; a second one during the drain ends the process (exit 1). */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Longest time option: 576 hours (24 days), under the 2^31 - 1 ms a timer can wait. */
const MAX_TIMER_MS = 576 * 3600e3;

interface Flags {
  host: string;
  port: string;
  workers: string;
  backend: string;
  maxSessions: string;
  idleTimeout: string;
  bufferSize: string;
  sendBuffer: string;
  lifetime: string;
  statsPort: string;
  stats: boolean;
  statsHost: string;
  duration?: string;
  stopTimeout: string;
  acceptDepth: string;
  concurrency: string;
  ioUring: boolean;
  fdReserve: string;
  json?: boolean;
  out?: string;
  interval?: string;
  /** From runCli(), its share of the call (cliRun.ts); without it, the caller drives the command line itself and owns the process. */
  cliRun?: CliRun;
}

export function addServerCommand(program: Command): void {
  program
    .command('server')
    .description('Run the TCP echo server on the OS completion machinery (IOCP / epoll).')
    .option('--host <addr>', 'address to listen on (IPv4 or IPv6)', D.host)
    .option('-p, --port <n>', 'port to listen on; 0 picks a free one', String(D.port))
    .option('-w, --workers <n>', 'worker threads blocking on the completion port', String(D.workers))
    .addOption(
      new Option('--backend <name>', 'auto = iocp on Windows, epoll on Linux; node = Node net baseline')
        .choices(['auto', 'epoll', 'iocp', 'node'])
        .default('auto'),
    )
    .option('--max-sessions <n>', 'connections beyond this are reset and counted as rejected', '10k')
    .option('--idle-timeout <time>', 'reset sessions idle this long (e.g. 30s); 0 = never', '0')
    .option('--buffer-size <bytes>', 'per-session echo buffer; when full, reading pauses', '64k')
    .option('--send-buffer <bytes>', 'SO_SNDBUF of accepted sockets (e.g. 4k makes sends go pending often); 0 = the OS default', '0')
    .addOption(
      new Option(
        '--lifetime <mode>',
        'refcount = sessions freed when their last pending op completes; naive = DEMONSTRATES A BUG: ' +
          'frees a session while I/O is still pending (the classic tutorial crash), never use it for real; ' +
          'a zoo fault (README, "Bug zoo") runs refcount with one real refcount bug put back',
      )
        .choices(['refcount', 'naive', ...LIFETIME_FAULTS])
        .default('refcount'),
    )
    .option('--stats-port <n>', 'port of the HTTP /stats and /metrics endpoint; 0 picks one', '0')
    .option('--no-stats', 'do not serve /stats and /metrics')
    .option('--stats-host <addr>', 'address of the stats endpoint', D.statsHost)
    .option('--duration <time>', 'serve this long (e.g. 30s), then drain and exit')
    .option('--stop-timeout <time>', 'a stop still running after this long is reported and exits 1', '20s')
    .option('--accept-depth <n>', 'AcceptEx operations kept posted (IOCP) / accepts per wake-up (epoll)', String(D.acceptDepth))
    .option('--concurrency <n>', 'workers allowed to run at once (one asleep in the port\'s wait counts), like an IOCP\'s concurrency value; 0 = every worker on IOCP, half the CPUs on epoll (the rest is left to a load generator on the same machine; use the CPU count on a dedicated server)', '0')
    .option('--no-io-uring', 'epoll: make each recv and send its own system call instead of batching them through io_uring (where it passes a probe)')
    .option('--fd-reserve <n>', 'epoll: descriptors kept free below the process limit for the stats endpoint and Node; connections that would take them are reset and counted as rejected', String(D.fdReserve))
    .option('--json', 'log machine-readable JSON lines instead of text')
    .option(
      '--out <file>',
      "write the server's counters once per --interval as they are taken (sessions, operations outstanding, completions and bytes per second, " +
        'stale completions, RSS): NDJSON, or CSV when the file ends in .csv; - writes to stdout (the log then goes to stderr)',
    )
    .option('--interval <time>', 'length of one sample of --out (1s, 500ms) (default: 1s)')
    .addHelpText(
      'after',
      '\nStops on SIGINT, SIGTERM or SIGHUP, or after --duration: resets every session (echoes in\n' +
        'flight are dropped), waits until no operation is outstanding (at most 4 s), and exits 0 when\n' +
        'every session was freed, once, and no completion found its session gone (1 otherwise: a\n' +
        'lifetime bug, as --lifetime naive shows; or a worker thread failed during the run; or --out\n' +
        'could not write every sample).\n' +
        'A second signal during the stop, or a stop still running after --stop-timeout, prints what\n' +
        'was left (sessions live, operations outstanding) and exits 1 at once. A signal after the\n' +
        'stop, while the output waits for its reader, exits 1 at once too.',
    )
    .action(async (flags: Flags) => {
      try {
        const code = await runServerCommand(flags);
        settleExitCode(flags, code);
      } catch (err) {
        // With --json, the log's last line says why there is no "listening" line (stderr has it too).
        if (flags.json) (flags.out === '-' ? process.stderr : process.stdout).write(errorEventLine(err));
        throw err;
      }
    });
}

function toOptions(f: Flags): Partial<ServerOptions> {
  return {
    host: f.host,
    port: parseInteger('--port', f.port),
    workers: parseInteger('--workers', f.workers),
    backend: f.backend as BackendName | 'auto',
    maxSessions: parseCount('--max-sessions', f.maxSessions),
    idleTimeoutMs: parseDurationMs('--idle-timeout', f.idleTimeout, 's', 0, MAX_TIMER_MS),
    bufferSize: parseBytes('--buffer-size', f.bufferSize),
    sendBuffer: parseBytes('--send-buffer', f.sendBuffer),
    lifetime: f.lifetime as Lifetime,
    statsPort: statsPort(f),
    statsHost: statsHost(f),
    acceptDepth: parseInteger('--accept-depth', f.acceptDepth),
    concurrency: parseInteger('--concurrency', f.concurrency),
    ioUring: f.ioUring,
    fdReserve: parseInteger('--fd-reserve', f.fdReserve),
  };
}

/**
 * --stats-port, or null with --no-stats. A port given beside --no-stats would be ignored: a usage
 * error. Its default, 0 ("pick one"), names no port and is taken (bench/lib/servers.mjs passes
 * `--stats-port 0` to every server, and bench/flood-jit.mjs adds --no-stats to it).
 */
function statsPort(f: Flags): number | null {
  const port = parseInteger('--stats-port', f.statsPort);
  if (f.stats) return port;
  if (port !== 0) throw usageError('--stats-port', 'not with --no-stats', f.statsPort);
  return null;
}

/** --stats-host, which, like a port, names what --no-stats would ignore unless it is the default. */
function statsHost(f: Flags): string {
  if (!f.stats && f.statsHost !== D.statsHost) throw usageError('--stats-host', 'not with --no-stats', f.statsHost);
  return f.statsHost;
}

/**
 * Serves until a stop signal or --duration, then stops; resolves with the exit code. The stop
 * signals are listened for from the start to the end. A stop that outlasts --stop-timeout, or a
 * second signal during it, resolves with 1 at once, once its line and "stopped" event are out;
 * when the caller owns the process (the bin), which then ends it once the output is written, the
 * listeners stay until the exit, and a late signal ends the process with 1 and a line (an output
 * its reader never drains must not hold it: endOnSignal). From code (runCli()
 * without ownsProcess) the server is left as it is (its close() still runs, bounded by the
 * drain and the join of its workers, and frees its threads, sockets and memory when it ends, if
 * it ever does), and the listeners are removed whenever the command ends, on an error too.
 */
async function runServerCommand(f: Flags): Promise<number> {
  const ownsProcess = f.cliRun?.ownsProcess ?? true;
  const options = toOptions(f);
  const durationMs = f.duration !== undefined ? parseDurationMs('--duration', f.duration, 's', 1, MAX_TIMER_MS) : null;
  const stopLimitMs = parseDurationMs('--stop-timeout', f.stopTimeout, 's', 1, MAX_TIMER_MS);
  // Given without --out it would be ignored: a usage error, as for --stats-port with --no-stats.
  if (f.interval !== undefined && f.out === undefined) throw usageError('--interval', 'only with --out (the length of one sample written there)', f.interval);
  const intervalMs = f.interval === undefined ? 1000 : parseDurationMs('--interval', f.interval, 's', 10, 3600e3);
  // Checked before the server starts: a file that cannot be written is a usage error, nothing ran.
  // Not touched until the server listens (out.start() below): a server that fails to start (its
  // port in use) leaves the file as it was, another server's samples included.
  const out = f.out === undefined ? null : openSampleOut('--out', f.out, SERVER_SAMPLE_COLUMNS);
  // Listening for the stop signals before anything else: one that arrives during the start-up,
  // or just after the "listening" line, stops the server as soon as it is up.
  let stopFor: (reason: string) => void = () => {};
  const stopReason = new Promise<string>((resolve) => (stopFor = resolve));
  // One listener from here to the end: the first signal stops, a second (not a repeat of the
  // first within REPEAT_WINDOW_MS, as timeout(1) sends) during the stop abandons it.
  const counts = signalCounter();
  let onSignal = (sig: NodeJS.Signals): void => {
    if (counts(sig)) stopFor(`signal ${sig}`);
  };
  const listener = (sig: NodeJS.Signals) => onSignal(sig);
  for (const sig of STOP_SIGNALS) process.on(sig, listener);
  // From the drain to the process's end a signal (not a repeat) ends the bin's process with 1 and
  // a line: what was still unwritten is lost, and a reader that stalls without exiting (an
  // unscrolled pager, a stuck log shipper) must not hold a process that ignores all but SIGKILL.
  const endOnSignal = (sig: NodeJS.Signals): void => {
    if (!ownsProcess || !counts(sig)) return;
    process.stderr.write(`iocp-bench server: ${sig} while the output was still being written; exiting\n`);
    process.exit(1);
  };
  // Armed once the stop starts; cleared however the command ends (a close() that threw included).
  let watchdog: NodeJS.Timeout | undefined;
  try {
    // The server loads only when it runs: `--help` and `--version` stay quick.
    const { startServer } = await import('./server.js');
    // A worker that fails is a warning on stderr here; the library API's server prints nothing (its stats say it).
    const server = await startServer(options, { onWorkerFailure: (m) => process.emitWarning(`iocp-bench server: ${m}`) });
    // With the samples on stdout (--out -), the log goes to stderr.
    const logTo = out?.toStdout ? process.stderr : process.stdout;
    const log = (event: string, data: Record<string, unknown>, text: string) =>
      logTo.write(f.json ? JSON.stringify({ event, ...data }) + '\n' : text + '\n');
    const { host, port } = server.address;
    const shown = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const opts = { ...D, ...options };
    if (server.statsUrl !== null && !isLoopbackHost(opts.statsHost))
      process.stderr.write(
        `iocp-bench server: warning: the stats endpoint listens on ${opts.statsHost}, beyond this machine; ` +
          'it has no authentication (anyone who can reach it reads the counters)\n',
      );
    if (server.sessionDescriptors !== null && server.sessionDescriptors < opts.maxSessions)
      process.stderr.write(
        `iocp-bench server: warning: this process may open ${server.sessionDescriptors} more descriptor(s) for sessions, ` +
          `fewer than --max-sessions ${opts.maxSessions} (a session takes one, two while its echo waits on a slow reader): ` +
          'connections beyond them are reset and counted as rejected ' +
          '(raise the hard limit: ulimit -Hn, LimitNOFILE=)\n',
      );
    const started = server.stats();
    // Each epoll worker opens its own ring (where io_uring passes its probe) before it is ready.
    const ioUring = (started.extra.ioUringWorkers ?? 0) > 0;
    // Sampling starts before the "listening" line: a client that connects on reading it is in the
    // samples (started after, its first reading could already hold a quick client's whole echo).
    // The server is up: the file is created (truncated) now, its header written before the line.
    out?.start();
    const samples = out ? sampleServer(() => server.stats(), Math.round(intervalMs), out) : null;
    log(
      'listening',
      { backend: server.backend, workers: started.workers, concurrency: server.concurrency, lifetime: opts.lifetime, ioUring, listen: server.address, stats: server.statsUrl },
      `iocp-bench server: ${server.backend}${ioUring ? ' (recv/send batched through io_uring)' : ''}, ${started.workers} worker${started.workers === 1 ? '' : 's'}` +
        `${server.concurrency < started.workers ? ` (${server.concurrency} running at a time, --concurrency)` : ''}, ` +
        `lifetime ${opts.lifetime}, echo on ${shown}, stats ${server.statsUrl ?? 'off'}`,
    );

    // Served from the "listening" line to the stop; the start-up before it and the stop after it
    // are not (uptimeMs, in the stats, counts from the start-up).
    const listeningAt = performance.now();
    if (durationMs !== null) setTimeout(() => stopFor('duration'), durationMs).unref();
    const reason = await stopReason;
    const stopAt = performance.now();
    const timing = () => ({ servedMs: Math.round(stopAt - listeningAt), stopMs: Math.round(performance.now() - stopAt) });
    // Armed before anything that could fail or hang: the stop is bounded (drain, then the workers
    // are joined or terminated); should it ever take longer regardless, say so and end rather
    // than leave a server that ignores Ctrl-C. A second signal ends it the same way, at once.
    let abandon: (code: number) => void = () => {};
    const abandoned = new Promise<number>((resolve) => (abandon = resolve));
    let gaveUp = false;
    const giveUp = (why: string) => {
      if (gaveUp) return;
      gaveUp = true;
      clearTimeout(watchdog);
      const s = server.stats();
      const stage = server.stopStage() ?? 'starting the stop';
      process.stderr.write(
        `iocp-bench server: ${why} (stuck ${stage}: ${s.sessions.live} sessions live, ` +
          `${s.ops.outstanding} operations outstanding); ${ownsProcess ? 'exiting' : 'giving up'}\n`,
      );
      const t = timing();
      log('stopped', { reason, drained: false, abandoned: why, stage, ...t, lifetimeBroken: lifetimeBroken(s), stats: s }, summary(reason, s, t, `given up while ${stage}`));
      // The counters as the stop was given up are the file's last sample. The command returns at
      // once; the bin then ends the process once stdout (maybe the samples) is written.
      samples?.finish(s);
      abandon(1);
    };
    watchdog = setTimeout(() => giveUp(`the stop did not finish within ${f.stopTimeout}`), stopLimitMs);
    onSignal = (sig) => {
      if (counts(sig)) giveUp(`${sig} during the stop`);
    };
    const live = server.stats().sessions.live;
    log('stopping', { reason, sessions: live }, `iocp-bench server: stopping (${reason}): resetting ${live} sessions`);
    const stopped = (async () => {
      const stats = await server.close();
      // A stop given up (from code) has said all it will.
      if (gaveUp) return 1;
      samples?.finish(stats);
      clearTimeout(watchdog);
      onSignal = endOnSignal;
      const clean = drained(stats);
      const t = timing();
      log('stopped', { reason, drained: clean, ...t, lifetimeBroken: lifetimeBroken(stats), stats }, summary(reason, stats, t, clean ? null : 'NOT drained'));
      // Samples --out could not write are lost: exit 1, as for a stop that did not drain. On stdout a
      // write that failed (its reader gone) says so after the write: its last sample's included.
      await out?.settled();
      const lost = out?.lost() ?? null;
      if (lost !== null) process.stderr.write(`iocp-bench: ${lost}\n`);
      return stopExitCode(stats, lost);
    })();
    return await Promise.race([stopped, abandoned]);
  } finally {
    // The bin's process ends once its output is written; a signal until then ends it at once (see
    // endOnSignal). From code, a late signal changes nothing, and the program that embeds the
    // command gets its signals back.
    onSignal = endOnSignal;
    clearTimeout(watchdog);
    if (!ownsProcess) for (const sig of STOP_SIGNALS) process.off(sig, listener);
  }
}

/** The stop's lines; `unfinished` says how the stop fell short (NOT drained, given up while ...), null when it did not. */
function summary(reason: string, s: ServerStats, t: { servedMs: number; stopMs: number }, unfinished: string | null): string {
  const head =
    `iocp-bench server: stopped (${reason}) after serving ${formatSpan(t.servedMs)}, the stop took ${formatSpan(t.stopMs)}: ` +
    `${s.sessions.accepted} accepted, ${s.sessions.freed} freed, ${s.sessions.rejected} rejected, ` +
    `${s.staleCompletions} stale completions, ${doubleFrees(s)} freed twice, ${formatBytes(s.bytes.in)} in, ${formatBytes(s.bytes.out)} out`;
  const lines = [head];
  if (unfinished !== null) lines.push(`iocp-bench server: ${unfinished}: ${s.sessions.live} sessions live, ${s.ops.outstanding} operations outstanding`);
  const broken = lifetimeBroken(s);
  if (broken) lines.push(`iocp-bench server: lifetime rules broken: ${broken}`);
  if (s.extra.workerFailures) lines.push('iocp-bench server: a worker thread failed during the run (the warning above says why); the others served on');
  return lines.join('\n');
}

/**
 * The exit code of a stop that finished: 0 when every session was freed and every sample written
 * (`lost` null); 1 otherwise, and 1 when a session outlived its rules (a bug the server itself saw:
 * --lifetime naive, a zoo fault) or a worker thread failed (the server ran short of what was asked).
 */
export function stopExitCode(s: ServerStats, lost: string | null): 0 | 1 {
  return drained(s) && lost === null && lifetimeBroken(s) === null && !s.extra.workerFailures ? 0 : 1;
}

/** Every session freed and no operation outstanding: the stop drained. */
function drained(s: ServerStats): boolean {
  return s.sessions.live === 0 && s.ops.outstanding === 0;
}

/** What says a session outlived its rules (a stale completion, a second free), or null: a bug, exit 1. */
function lifetimeBroken(s: ServerStats): string | null {
  const what = [
    s.staleCompletions > 0 ? `${s.staleCompletions} completion(s) found their session gone (stale)` : '',
    doubleFrees(s) > 0 ? `${doubleFrees(s)} session(s) freed twice` : '',
  ].filter((x) => x !== '');
  return what.length ? what.join(', ') : null;
}
