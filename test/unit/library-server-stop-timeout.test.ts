// A server stop that outlasts --stop-timeout: runCli() resolves with 1 at once, after the
// "stopped" event and its line on stderr (which says "exiting" for the command's bin, which then
// ends its process as soon as the output is written, as the CLI promises, and "giving up" from
// code, whose program goes on); from code it takes its signal listeners with it and leaves
// process.exitCode alone. (The bin's own exit: test/server/stop-timeout.test.ts.) The server here is a
// stand-in whose close() never finishes: a stuck stop.
import { afterEach, expect, it, vi } from 'vitest';
import type { ServerStats } from '../../src/index.js';
import { captureOutput } from '../helpers/captureOutput.js';

const stats: ServerStats = {
  backend: 'epoll', workers: 1, lifetime: 'refcount', listen: { host: '127.0.0.1', port: 40000 }, uptimeMs: 10,
  sessions: { live: 3, peak: 3, accepted: 3, freed: 0, rejected: 0 },
  ops: { outstanding: 2, posted: 2, completed: 0, failed: 0 },
  staleCompletions: 0, bytes: { in: 0, out: 0 }, perWorker: [{ completions: 0 }], extra: {},
};
vi.mock('../../src/server/server.js', () => ({
  startServer: async () => ({
    backend: 'epoll',
    address: { host: '127.0.0.1', port: 40000 },
    statsUrl: null,
    stats: () => stats,
    stopStage: () => 'joining workers',
    close: () => new Promise<never>(() => {}),
  }),
}));
const { runCli } = await import('../../src/index.js');

const ARGS = ['server', '--port', '0', '--no-stats', '--duration', '10ms', '--stop-timeout', '50ms', '--json'];
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const listeners = () => SIGNALS.map((s) => process.listenerCount(s));

/** process.exit() replaced by a promise that says it was called (the first code given). */
function watchExit(): Promise<string> {
  return new Promise((resolve) => {
    vi.spyOn(process, 'exit').mockImplementation(((code?: number) => resolve(`process.exit(${code})`)) as never);
  });
}

/** Resolves with whichever comes first, bounded: runCli's code, or a call of process.exit. */
async function firstOf(run: Promise<number>, exited: Promise<string>): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<string>((r) => (timer = setTimeout(() => r('neither within 10 s'), 10_000)));
  try {
    return await Promise.race([run, exited, bound]);
  } finally {
    clearTimeout(timer);
  }
}

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

it('from code: resolves with 1, without process.exit, and removes its signal listeners', async () => {
  const before = listeners();
  const out = captureOutput();
  const outcome = await firstOf(runCli(ARGS), watchExit());
  expect(outcome).toBe(1);
  expect(out.stderr()).toBe(
    'iocp-bench server: the stop did not finish within 50ms (stuck joining workers: 3 sessions live, 2 operations outstanding); giving up\n',
  );
  const events = out.stdout().trim().split('\n').map((l) => JSON.parse(l) as { event: string; drained?: boolean; abandoned?: string });
  expect(events.map((e) => e.event)).toEqual(['listening', 'stopping', 'stopped']);
  expect(events[2]).toMatchObject({ drained: false, abandoned: 'the stop did not finish within 50ms' });
  expect(listeners()).toEqual(before);
  expect(process.exitCode).toBeUndefined();
});

it('owning the process (the bin): resolves with 1 at once and sets the exit code; the bin ends the process', async () => {
  const out = captureOutput();
  const run = runCli(ARGS, { ownsProcess: true });
  run.catch(() => undefined);
  expect(await firstOf(run, watchExit())).toBe(1);
  expect(process.exitCode).toBe(1);
  expect(out.stderr()).toMatch(/; exiting\n$/);
});
