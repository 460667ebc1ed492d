import { describe, expect, test } from 'vitest';
import { checkExhaustive, instantiate } from '../src/index.js';
import { PUBLISHED_RUNS } from '../models/examples/published.js';

/*
 * Each example in models/examples/ is a port of a spec from tlaplus/Examples;
 * its exhaustive check must reach exactly the distinct-state count TLC reports
 * in that repository's manifest, and the same diameter (TLC's stateDepth counts
 * the initial state as 1, the engine's depth counts steps).
 */
describe('published-count examples', () => {
  test.each(PUBLISHED_RUNS.map((run) => [`${run.model.name} ${run.config} (${run.cfg.split('/').pop()})`, run] as const))(
    '%s: TLC\'s distinct states and depth, every property as declared',
    (_name, run) => {
      const results = checkExhaustive(instantiate(run.model, run.variant, run.config));
      for (const r of results) {
        expect(r.complete, r.property).toBe(true);
        expect(r.verdict, r.property).toBe(run.model.variants[run.variant]!.expect[r.property]);
      }
      const [first] = results;
      expect(first!.states).toBe(run.distinctStates);
      expect(first!.depth + 1).toBe(run.stateDepth);
    },
  );
});
