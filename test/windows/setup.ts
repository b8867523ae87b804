// Run before every file of the Wine suite (vitest.windows.config.ts): once a file's tests are done
// and its servers killed, end Wine's helper processes (wineserver and its services) rather than
// leave them to stop by themselves seconds later, or to hang after a crashed node.exe.
import { afterAll } from 'vitest';
import { killWineServer } from './wine.js';

afterAll(() => killWineServer());
