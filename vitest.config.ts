import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // The examples import the package by name, as users do; in this repository that is the
    // TypeScript source (the installed package's compiled dist/ is tested by test/package.test.ts).
    alias: [
      { find: /^outage-checker$/, replacement: source('./src/index.ts') },
      { find: /^outage-checker\/testing$/, replacement: source('./src/testing/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.test.ts'],
    // Exploration tests are CPU-bound; two workers match the two cores these machines have.
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
