// What `npm pack` ships: the CLI entry, the built dist/ (JavaScript and type declarations, no
// source maps: their sources are not shipped), README, LICENSE and package.json; nothing of the
// tests, the TypeScript sources, the caches or the CI. And the package says what it is.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/serverProcess.js';

describe('the npm package', () => {
  const files = (): string[] => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], shell: process.platform === 'win32', // npm is a .cmd there
    });
    return (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
  };

  it('ships the CLI, dist, README and LICENSE, and nothing else', () => {
    const paths = files();
    expect(paths).toEqual(expect.arrayContaining(['bin/iocp-bench.js', 'dist/cli.js', 'dist/index.js', 'dist/index.d.ts', 'README.md', 'LICENSE', 'package.json']));
    const outside = paths.filter((p) => !p.startsWith('dist/'));
    expect(outside.sort()).toEqual(['LICENSE', 'README.md', 'bin/iocp-bench.js', 'package.json']);
    expect(paths.filter((p) => p.endsWith('.map'))).toEqual([]);
    expect(paths.filter((p) => !/\.(js|d\.ts)$/.test(p) && p.startsWith('dist/'))).toEqual([]);
  });

  it('declares its licence, keywords and the install scripts it allows', () => {
    const pkg = JSON.parse(readFileSync(`${REPO}/package.json`, 'utf8'));
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(`${REPO}/LICENSE`, 'utf8')).toMatch(/^MIT License\n/);
    expect(pkg.keywords).toEqual(expect.arrayContaining(['iocp', 'epoll']));
    expect(pkg.allowScripts).toEqual({ koffi: true, esbuild: true });
  });
});
