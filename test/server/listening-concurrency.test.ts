// The "listening" line says how many workers may run at once when that is fewer than the
// workers (--concurrency, resolved: half the CPUs on epoll by default), and the JSON event
// carries it: "5 workers" alone read as five threads echoing at once.
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli.js';

const listening = (stdout: string) => stdout.split('\n')[0]!;

describe('the listening line and --concurrency', () => {
  it('--workers 5 --concurrency 2: "(2 running at a time, --concurrency)", and 2 in the JSON event', async () => {
    const text = await runCliProcess(['server', '-p', '0', '--workers', '5', '--concurrency', '2', '--duration', '200ms']);
    expect(text.code, text.stderr).toBe(0);
    expect(listening(text.stdout)).toMatch(/, 5 workers \(2 running at a time, --concurrency\), lifetime refcount, /);
    const json = await runCliProcess(['server', '-p', '0', '--workers', '5', '--concurrency', '2', '--duration', '200ms', '--json']);
    expect(JSON.parse(listening(json.stdout))).toMatchObject({ event: 'listening', workers: 5, concurrency: 2 });
  });

  it('as many as the workers: nothing added', async () => {
    const text = await runCliProcess(['server', '-p', '0', '--workers', '2', '--concurrency', '2', '--duration', '200ms']);
    expect(listening(text.stdout)).toMatch(/, 2 workers, lifetime refcount, /);
  });

  // The default differs by backend: half the CPUs on epoll, every worker on IOCP.
  it.runIf(process.platform === 'linux')('the default on epoll: half the CPUs, at least one', async () => {
    const json = await runCliProcess(['server', '-p', '0', '--duration', '200ms', '--json']);
    const half = Math.max(1, Math.floor(availableParallelism() / 2));
    expect(JSON.parse(listening(json.stdout))).toMatchObject({ workers: 5, concurrency: Math.min(5, half) });
  });
});
