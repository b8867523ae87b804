import { defineConfig } from 'vitest/config';

// The fast, socket-free tests of the lifetime core that mutation testing (stryker.config.json)
// runs against every mutant: each finishes in milliseconds and touches no network.
export default defineConfig({
  test: {
    include: ['test/unit/lifetime/**/*.test.ts'],
  },
});
