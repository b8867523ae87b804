import { defineConfig } from 'vitest/config';

// The IOCP-only tests of test/windows/, natively on Windows (`npm run test:iocp`; the workflow's
// Windows job runs it after `npm test`, which leaves test/windows/ out). Their helpers
// (test/windows/wine.ts, wineServer.ts) start the Windows build under Wine on Linux, and on Windows
// start node.exe itself (process.execPath) with the same API, so the same files run both ways. On
// Linux this config runs them under Wine, like `npm run test:windows` (which also runs the
// wine-* tests of Wine itself, and the server tests with the Wine launcher): run that there.
// Long timeouts and one file at a time, as vitest.windows.config.ts: a flood of 20,000
// connections under Wine, servers that take seconds to start there.
export default defineConfig({
  test: {
    include: [
      'test/windows/win32-bindings.test.ts',
      'test/windows/iocp-accept-pool.test.ts',
      'test/windows/iocp-flood.test.ts',
      'test/windows/iocp-idle-memory.test.ts',
      'test/windows/iocp-smoke.test.ts',
      'test/windows/iocp-zero-reads.test.ts',
    ],
    // Ends Wine's helper processes after every file (nothing to do natively).
    setupFiles: ['test/windows/setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
