import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The tests `npm run mutation` runs against each mutant of the engine and the
 * world: the direct ones (hand-made graphs and worlds with known counts, hash
 * values, packed-against-string comparisons on a few small models), not the
 * suites that explore whole models, whose seconds-long explorations would run
 * again for every mutant they reach and make a run take hours while killing
 * mutants only indirectly. (Spread, not mergeConfig: mergeConfig would append
 * these lists to the base's.)
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/engine/**/*.test.ts', 'test/world/**/*.test.ts', 'test/canonical-json.test.ts', 'test/liveness-world.test.ts'],
    exclude: [
      // Every model and published example, 50 s: test/world/packed-small-worlds.test.ts compares hand-made ones state by state instead.
      'test/world/packed-world.test.ts',
      // Whole-model symmetry verdicts, 30 s.
      'test/world/symmetry-verdicts.test.ts',
      // The 2^24-entry table and 70,000 vectors take minutes once instrumented: test/engine/packed-direct.test.ts covers the same code.
      'test/engine/fingerprint-table.test.ts',
      'test/engine/packed-store.test.ts',
      // Exact against fingerprint mode on whole models (5 s): test/engine/bfs-bounds.test.ts compares the four searches on small worlds.
      'test/engine/fingerprint-mode.test.ts',
      // Seconds of two-phase commit and replica election each (symmetry, local facts, random walks of the stepper):
      // test/world/symmetry-small.test.ts, local-facts-small.test.ts and stepper-small.test.ts use worlds of a few states.
      'test/world/symmetry.test.ts',
      'test/world/local-facts.test.ts',
      'test/world/stepper.test.ts',
    ],
    // Instrumented code runs several times slower than plain code.
    testTimeout: 300_000,
    // The instrumented code holds every mutant and switches between them at run time: modules need not be reloaded per test file.
    isolate: false,
  },
});
