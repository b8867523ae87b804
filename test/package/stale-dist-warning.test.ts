// A clone whose src/ changed since dist/ was built (a git pull) runs the last build: the command
// says so in one line on stderr and runs it. A dist/ built after every change of src/, and the
// installed package (which ships no src/), say nothing.
import { spawnSync } from 'node:child_process';
import { copyFileSync, lutimesSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/serverProcess.js';

describe('a dist/ older than src/', () => {
  let dir: string;
  const at = (path: string, seconds: number) => utimesSync(join(dir, path), seconds, seconds);
  const run = () => spawnSync(process.execPath, [join(dir, 'bin/iocp-bench.js'), 'anything'], { encoding: 'utf8', timeout: 30_000 });

  beforeEach(() => {
    // The real bin beside a stand-in dist/ whose runCli exits 3: the bin's own checks, nothing else.
    dir = mkdtempSync(join(tmpdir(), 'iocp-bench-stale-'));
    for (const d of ['bin', 'dist', 'src/server']) mkdirSync(join(dir, d), { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n'); // as the real package says
    copyFileSync(join(REPO, 'bin/iocp-bench.js'), join(dir, 'bin/iocp-bench.js'));
    writeFileSync(join(dir, 'dist/cli.js'), 'export async function runCli() { return 3; }\n');
    writeFileSync(join(dir, 'src/cli.ts'), '');
    writeFileSync(join(dir, 'src/server/engine.ts'), '');
    for (const p of ['src/cli.ts', 'src/server/engine.ts', 'src/server', 'src']) at(p, 1_000_000);
    at('dist/cli.js', 2_000_000);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('built after every change: no word, the build runs', () => {
    const r = run();
    expect([r.status, r.stderr]).toEqual([3, '']);
  });

  it('a file of src/ changed since, however deep: one line naming it, and the last build runs', () => {
    at('src/server/engine.ts', 3_000_000);
    const r = run();
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^iocp-bench: src\/ changed since dist\/ was built \(server[/\\]engine\.ts\); this runs the last build, 'npm run build' updates it\n$/);
  });

  // Emacs's lock links are a Unix editor's; a symbolic link on Windows needs a privilege.
  it.runIf(process.platform !== 'win32')('an entry it cannot read (an editor\'s dangling lock link) is passed over', () => {
    symlinkSync(join(dir, 'src/server/gone.ts'), join(dir, 'src/server/.#engine.ts'));
    lutimesSync(join(dir, 'src/server/.#engine.ts'), 1_000_000, 1_000_000);
    at('src/server', 1_000_000);
    const r = run();
    expect([r.status, r.stderr]).toEqual([3, '']);
    at('src/cli.ts', 3_000_000);
    expect(run().stderr).toMatch(/\(cli\.ts\)/);
  });

  it('the installed package, without src/: no word', () => {
    rmSync(join(dir, 'src'), { recursive: true });
    const r = run();
    expect([r.status, r.stderr]).toEqual([3, '']);
  });
});
