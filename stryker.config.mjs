// `npm run mutation`: Stryker's mutation score for the explorer engine and the world semantics.
// Not part of CI: about 3,900 mutants at 1 to 4 s each (an hour on an idle machine, four on a
// loaded one); see vitest.mutation.config.ts for the tests it runs. One mutant at a time: the
// machines this runs on are shared (run it as `nice -n 10 npm run mutation`).
// While working on one file: `npx stryker run --mutate src/engine/hash.ts`; on some lines of it:
// `--mutate src/world/world.ts:100-160`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: ['src/engine/**/*.ts', 'src/world/**/*.ts'],
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  // Each mutant runs only the tests that reached it in the dry run.
  coverageAnalysis: 'perTest',
  // Results of mutants whose code and covering tests did not change are kept from the last run on this machine.
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  concurrency: 1,
  // Mutants of module-level constants (24) would each need every test run again with the modules reloaded: left out of the score.
  ignoreStatic: true,
  // On top of 1.5 times the covering tests' own time: a mutant that loops for ever is cut off soon.
  timeoutMS: 5000,
  dryRunTimeoutMinutes: 20,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
