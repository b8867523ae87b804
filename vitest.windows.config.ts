import { defineConfig } from 'vitest/config';

// Tests that run the Windows build under Wine (scripts/windows/test.sh prepares Wine first).
// Wine start-up takes seconds and each test drives real node.exe processes: long timeouts, one
// file at a time (they also share one Wine prefix).
export default defineConfig({
  test: {
    include: ['test/windows/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
