// launchUnderWine(), which both startWineServer() and runWineNode() go through, makes a launch
// once more when Wine itself failed to start node.exe. Such a launch is made here on purpose:
// `/bin/false` stands in for Wine's loader (same arguments; exit 1 at once, no output).
import { afterAll, afterEach, beforeEach, expect, it, vi } from 'vitest';
import { launchUnderWine, startWineNode, type WineNodeProcess } from './wine.js';

const FAILING_LAUNCHER = '/bin/false';
const started: WineNodeProcess[] = [];
let warn: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  warn.mockRestore();
});
afterAll(async () => {
  for (const p of started) {
    await p.kill(2000);
    p.cleanup();
  }
});

/** node.exe printing `ran`, or the failing launcher in its place for the given attempts. */
function launcher(failing: number[], launches: number[]): (attempt: number) => WineNodeProcess {
  return (attempt) => {
    launches.push(attempt);
    const p = startWineNode('package.json', {
      nodeArgs: ['-e', "console.log('ran')"],
      preload: false,
      name: 'retry',
      env: { WINEDEBUG: '-all' },
      launcher: failing.includes(attempt) ? FAILING_LAUNCHER : undefined,
    });
    started.push(p);
    return p;
  };
}

it('a failed launch is made once more, with a warning, when waiting for the exit', async () => {
  const launches: number[] = [];
  const { proc, result } = await launchUnderWine(launcher([1], launches), (p) => p.waitForExit(60_000));
  expect(launches).toEqual([1, 2]);
  expect(result.code).toBe(0);
  expect(proc.stdout().trim()).toBe('ran');
  expect(warn).toHaveBeenCalledTimes(1);
  expect(String(warn.mock.calls[0]![0])).toMatch(/did not start node\.exe \(exit 1 after \d+ ms, no output\); launching once more/);
}, 120_000);

it('a failed launch is made once more when waiting for a line rejected', async () => {
  const launches: number[] = [];
  const { result } = await launchUnderWine(launcher([1], launches), (p) => p.waitForLine('ran', 60_000));
  expect(launches).toEqual([1, 2]);
  expect(result).toBe('ran');
  expect(warn).toHaveBeenCalledTimes(1);
}, 120_000);

it('a second failed launch is the caller’s: returned as it is, or its error thrown', async () => {
  const launches: number[] = [];
  const { proc } = await launchUnderWine(launcher([1, 2], launches), (p) => p.waitForExit(10_000));
  expect(launches).toEqual([1, 2]);
  expect(proc.launchFailed).toBe(true);
  expect(warn).toHaveBeenCalledTimes(1);

  const again: number[] = [];
  await expect(launchUnderWine(launcher([1, 2], again), (p) => p.waitForLine('ran', 10_000))).rejects.toThrow(/exited .* without printing ran/);
  expect(again).toEqual([1, 2]);
}, 60_000);

it('a run that failed after writing something is not launched again', async () => {
  const launches: number[] = [];
  // ls in Wine's place: it lists node.exe, says the Windows path of the script does not exist, exits 2.
  const { proc, result } = await launchUnderWine(
    (attempt) => {
      launches.push(attempt);
      const p = startWineNode('package.json', { preload: false, name: 'retry-output', launcher: '/bin/ls' });
      started.push(p);
      return p;
    },
    (p) => p.waitForExit(30_000),
  );
  expect(launches).toEqual([1]);
  expect(result.code).toBe(2);
  expect(proc.stderr()).toMatch(/package\.json/);
  expect(warn).not.toHaveBeenCalled();
}, 60_000);
