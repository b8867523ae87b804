import { workerEntry } from '../workerEntry.js';

/** The file a client thread runs (see workerEntry for running from the TypeScript sources). */
export function floodWorkerUrl(): Promise<URL> {
  return Promise.resolve(workerEntry(import.meta.url, 'client/floodWorker.js'));
}
