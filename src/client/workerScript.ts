import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The file a client thread runs. Built code has `floodWorker.js` next to this module. When the
 * package runs from its TypeScript sources (the test suite), Node cannot start a worker on a
 * `.ts` file, so the worker is bundled once with esbuild (a development dependency, loaded only
 * on this path) into the git-ignored `.cache/` folder of the package.
 */
let cached: Promise<URL> | null = null;

export function floodWorkerUrl(): Promise<URL> {
  cached ??= resolveWorker();
  return cached;
}

async function resolveWorker(): Promise<URL> {
  const built = new URL('./floodWorker.js', import.meta.url);
  if (built.protocol === 'file:' && existsSync(fileURLToPath(built))) return built;
  const source = fileURLToPath(new URL('./floodWorker.ts', import.meta.url));
  if (!existsSync(source)) throw new Error(`client thread entry not found next to ${fileURLToPath(import.meta.url)}`);
  const root = join(dirname(source), '..', '..');
  const outfile = join(root, '.cache', 'flood-worker.mjs');
  mkdirSync(dirname(outfile), { recursive: true });
  const esbuild = (await import('esbuild' as string)) as {
    build(o: Record<string, unknown>): Promise<unknown>;
  };
  // Built under a private name, then renamed: another process may be starting workers too.
  const tmp = `${outfile}.${process.pid}.tmp.mjs`;
  await esbuild.build({
    entryPoints: [source],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  renameSync(tmp, outfile);
  return pathToFileURL(outfile);
}
