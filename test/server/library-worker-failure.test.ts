// A worker thread that fails: startServer() from code writes nothing to the terminal (its stats say
// so: extra.workerFailures, worker_failures in /metrics), while `iocp-bench server` still warns on
// stderr, and exits 1. The failure is put in after a real start: the pool's onFatal is called once its workers are up.
import { afterEach, expect, it, vi } from 'vitest';
import { captureOutput } from '../helpers/captureOutput.js';

vi.mock('../../src/server/workerPool.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/server/workerPool.js')>();
  class FailingPool {
    static async start(...args: Parameters<typeof real.WorkerPool.start>) {
      const pool = await real.WorkerPool.start(...args);
      args[4].onFatal('worker 0: injected failure');
      return pool;
    }
  }
  return { ...real, WorkerPool: FailingPool };
});
const { runCli, startServer } = await import('../../src/index.js');

/** Warnings the process emits, and what is written to stdout and stderr (kept from the terminal). */
function watch(): { warnings: string[]; output: () => string } {
  const warnings: string[] = [];
  vi.spyOn(process, 'emitWarning').mockImplementation(((w: string | Error) => void warnings.push(String(w))) as typeof process.emitWarning);
  return { warnings, output: captureOutput().all };
}

afterEach(() => vi.restoreAllMocks());

it('startServer(): no warning and no output, the failure is in its stats', async () => {
  const seen = watch();
  const server = await startServer({ port: 0, workers: 1, statsPort: null, backend: process.platform === 'win32' ? 'iocp' : 'epoll' });
  try {
    expect(server.stats().extra.workerFailures).toBe(1);
  } finally {
    await server.close();
  }
  expect(seen.warnings).toEqual([]);
  expect(seen.output()).toBe('');
});

it('`iocp-bench server`: the failure is still a warning on stderr, and makes the exit 1', async () => {
  const seen = watch();
  const code = await runCli(['server', '--port', '0', '--workers', '1', '--no-stats', '--duration', '100ms']);
  // Nothing stranded (the stop drains): the exit code is the failure's alone.
  expect(code).toBe(1);
  expect(seen.warnings).toEqual(['iocp-bench server: worker 0: injected failure']);
  expect(seen.output()).not.toContain('NOT drained');
  expect(seen.output()).toContain('iocp-bench server: a worker thread failed during the run (the warning above says why); the others served on');
});
