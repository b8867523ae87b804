/**
 * The file a worker thread runs. Built code has the worker's `.js` next to the module that
 * starts it. When the package runs from its TypeScript sources (the test suite imports src/),
 * Node 20 cannot start a worker on a `.ts` file, so the built copy in dist/ is used instead
 * (`npm test` builds first).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

/** `from` is the caller's import.meta.url; `name` the worker's path relative to src/ and dist/. */
export function workerEntry(from: string, name: string): URL {
  const here = path.dirname(fileURLToPath(from));
  const beside = path.join(here, path.basename(name));
  if (existsSync(beside)) return pathToFileURL(beside);
  let dir = here;
  while (path.basename(dir) !== 'src' && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const built = path.join(path.dirname(dir), 'dist', name);
  if (!existsSync(built)) throw new Error(`worker entry ${name} not found: run \`npm run build\` first`);
  return pathToFileURL(built);
}
