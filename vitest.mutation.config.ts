import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The tests `npm run mutation` runs against each mutant of the engine and the
 * world: the direct ones (hand-made graphs and worlds with known counts), not
 * the outage models, whose minutes-long explorations would make a mutation
 * run take hours and would kill mutants only indirectly. (Spread, not
 * mergeConfig: mergeConfig would append this list to the base's.)
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    // The 2^24-entry table test takes minutes once instrumented; the store's other tests cover the same code.
    exclude: ['test/engine/fingerprint-table.test.ts'],
    include: ['test/engine/**/*.test.ts', 'test/world/**/*.test.ts', 'test/canonical-json.test.ts', 'test/liveness-world.test.ts'],
    // Instrumented code runs several times slower: the symmetry test on replica election took over 60 s in Stryker's dry run.
    testTimeout: 300_000,
  },
});
