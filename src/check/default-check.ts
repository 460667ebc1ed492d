import { checkExhaustive } from './exhaustive.js';
import { instantiate, type ModelInstance } from './instance.js';
import { checkRandom, type RandomOptions } from './random.js';
import type { CheckResult } from './result.js';
import { checkedConfigs, exhaustiveOnlyOnRequest, type ModelDefinition } from '../spec/model.js';

/** The random search `npm run check` makes when given no options: seed 1, 1,000 runs per unit of fault budget, the mixed strategy. */
export const DEFAULT_RANDOM_SEARCH = { seed: 1, runs: 1000, strategy: 'mix' } as const satisfies RandomOptions;

/**
 * The check the docs and the counterexample corpus rest on for one variant and
 * configuration: the exhaustive search, or, where the model keeps it for
 * requests (`exhaustiveOnRequest`), the default random search (its rows say
 * `random`).
 */
export function checkByDefault(model: ModelDefinition<any>, variant: string, config: string): CheckResult[] {
  return checkInstanceByDefault(model, config, instantiate(model, variant, config));
}

/** `checkByDefault` for every variant of every model on every configuration it is checked on, in declaration order. */
export function checkEveryVariantByDefault(models: ReadonlyArray<ModelDefinition<any>>): CheckResult[] {
  return models.flatMap((m) => Object.keys(m.variants).flatMap((v) => checkedConfigs(m, v).flatMap((c) => checkByDefault(m, v, c))));
}

/** `checkByDefault` on an instance the caller made (to read what its world did afterwards). */
export function checkInstanceByDefault(model: ModelDefinition<any>, config: string, instance: ModelInstance): CheckResult[] {
  return exhaustiveOnlyOnRequest(model, config) ? checkRandom(instance, DEFAULT_RANDOM_SEARCH) : checkExhaustive(instance);
}
