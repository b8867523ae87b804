// startWineServer() launches once more when Wine itself failed to start node.exe, which it tells
// by a run that wrote nothing and ended within LAUNCH_FAILED_MS. That must never catch node.exe's
// own quickest exit: one that runs no script, writes nothing and exits 1 at once.
import { afterAll, expect, it } from 'vitest';
import { LAUNCH_FAILED_MS, startWineNode, type WineNodeProcess } from './wine.js';

const runs: WineNodeProcess[] = [];
afterAll(async () => {
  for (const p of runs) {
    await p.kill(2000);
    p.cleanup();
  }
});

it('a node.exe that exits at once, silent, outlasts the failed-launch bound', async () => {
  // The first run starts the wineserver; the later ones find it running, and are the quickest.
  for (let i = 0; i < 3; i++) {
    // package.json is only argv[1] beside -e: nothing is run from it. No Wine debug output either.
    const p = startWineNode('package.json', { nodeArgs: ['-e', 'process.exit(1)'], preload: false, name: 'silent-exit', env: { WINEDEBUG: '-all' } });
    runs.push(p);
    const { code } = await p.waitForExit(60_000);
    expect(code).toBe(1);
    expect(p.stdout() + p.stderr()).toBe('');
    expect(p.lifetime, `run ${i + 1} lasted ${Math.round(p.lifetime)} ms`).toBeGreaterThan(LAUNCH_FAILED_MS);
    expect(p.launchFailed).toBe(false);
  }
}, 180_000);
