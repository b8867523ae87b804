import { defineConfig } from 'vitest/config';

// The HTML report opened in a real headless browser (scripts/browser/test.sh installs Debian's
// chromium first): a real flood's report, its charts drawn, no request beyond the file itself.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
