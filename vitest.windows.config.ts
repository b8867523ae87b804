import { defineConfig } from 'vitest/config';

// Tests that run the Windows build under Wine (scripts/windows/test.sh prepares Wine first): the
// Wine-only tests of test/windows/, and the server behaviour tests of test/server/ with the Wine
// launcher (IOCP_BENCH_WINE=1: test/helpers/serverLaunchers.ts), which starts their servers and
// CLI runs through Wine's node.exe and sizes their loads for Wine.
// Wine start-up takes seconds and each test drives real node.exe processes: long timeouts, one
// file at a time (they also share one Wine prefix).
export default defineConfig({
  test: {
    include: [
      'test/windows/**/*.test.ts',
      'test/server/echo.test.ts',
      'test/server/workers.test.ts',
      'test/server/abuse.test.ts',
      'test/server/naive.test.ts',
      'test/server/sigterm.test.ts',
      'test/server/stop-timeout.test.ts',
      'test/server/cli-errors.test.ts',
      'test/server/metrics-format.test.ts',
    ],
    env: { IOCP_BENCH_WINE: '1' },
    // Ends Wine's helper processes after every file.
    setupFiles: ['test/windows/setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
