import { checkExhaustive } from '../check/exhaustive.js';
import { instantiate, type ModelInstance } from '../check/instance.js';
import { checkRandom } from '../check/random.js';
import type { CheckResult } from '../check/result.js';
import type { ModelDefinition } from '../spec/model.js';
import { renderStory } from '../report/story.js';

/** What to check; every field is optional. */
export interface CheckOptions {
  /** Variants to check (default: every variant of the model). */
  variant?: string | string[];
  /** A named configuration of the model (default: its first). */
  config?: string;
  /** Properties to report (default: those the variant expects a verdict for). */
  properties?: string[];
  /** `exhaustive` (default) explores every reachable state; `random` runs fast-check behaviours. */
  mode?: 'exhaustive' | 'random' | 'both';
  /** Exhaustive mode: stop after this many distinct states (the verdict is then `bounded`). */
  maxStates?: number;
  maxDepth?: number;
  /** Random mode: the seed (default 1) and the number of behaviours per property (default 1000). */
  seed?: number;
  runs?: number;
}

/**
 * The outcome of `check`: one `CheckResult` per variant, property and mode, the
 * same rows the command line prints, plus the story of any counterexample.
 */
export class ModelCheck {
  constructor(
    readonly model: ModelDefinition<any>,
    readonly results: CheckResult[],
    private readonly instances: ReadonlyMap<string, ModelInstance>,
  ) {}

  /** The rows of one property (all modes and variants). */
  of(property: string): CheckResult[] {
    return this.results.filter((r) => r.property === property);
  }

  /** The numbered story of a row's trace, as the command line prints it; empty when the row has no trace. */
  story(result: CheckResult): string[] {
    const instance = this.instances.get(result.variant);
    return instance && result.trace ? renderStory(instance, result) : [];
  }
}

/**
 * Checks a model the way `outage-checker check` does and returns the rows
 * instead of printing them. Async so that a later engine may run in workers;
 * today the work is synchronous.
 */
export async function check(model: ModelDefinition<any>, options: CheckOptions = {}): Promise<ModelCheck> {
  const variants = options.variant === undefined ? Object.keys(model.variants) : [options.variant].flat();
  const modes = options.mode === 'both' ? (['exhaustive', 'random'] as const) : [options.mode ?? 'exhaustive'];
  const results: CheckResult[] = [];
  const instances = new Map<string, ModelInstance>();
  for (const variant of variants) {
    const instance = instantiate(model, variant, options.config);
    if (options.properties) {
      const unknown = options.properties.filter((p) => !model.properties.some((q) => q.name === p));
      if (unknown.length) throw new Error(`model ${model.name} has no property ${unknown.join(', ')}`);
      instance.properties = instance.properties.filter((p) => options.properties!.includes(p.name));
    }
    instances.set(variant, instance);
    for (const mode of modes) {
      results.push(
        ...(mode === 'exhaustive'
          ? checkExhaustive(instance, { maxStates: options.maxStates, maxDepth: options.maxDepth })
          : checkRandom(instance, { seed: options.seed ?? 1, runs: options.runs ?? 1000 })),
      );
    }
  }
  return new ModelCheck(model, results, instances);
}
