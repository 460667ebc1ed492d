import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.test.ts'],
    // Exploration tests are CPU-bound; two workers match the two cores these machines have.
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
