// startWineServer() and runWineNode() launch once more when Wine itself failed to start node.exe,
// which they tell by a run that wrote nothing and ended within LAUNCH_FAILED_MS. node.exe's own
// quickest exit (one that runs no script, writes nothing and exits 1 at once) can be that quick
// too on a warm wineserver (116-190 ms seen); read as a failed launch, it costs one more launch,
// which fails the same way: its exit code and its silence still reach the caller, never a hang
// or a different result.
import { expect, it } from 'vitest';
import { runWineNode } from './wine.js';

it('a node.exe that exits at once, silent: its exit code comes through, launched at most twice', async () => {
  // The first run starts the wineserver; the later ones find it running, and are the quickest.
  for (let i = 0; i < 3; i++) {
    // package.json is only argv[1] beside -e: nothing is run from it. No Wine debug output either.
    const r = await runWineNode('package.json', { nodeArgs: ['-e', 'process.exit(1)'], preload: false, name: 'silent-exit', env: { WINEDEBUG: '-all' }, timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toBe('');
  }
}, 180_000);
