import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/windows/**', 'test/browser/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Servers and floods are heavy on a 2-core machine: one file at a time.
    fileParallelism: false,
  },
});
