import type { WorldSpec } from '../world/model-spec.js';
import type { Property } from './property.js';

export type Verdict = 'holds' | 'violated';

export interface VariantDefinition {
  /** What this variant does, in a sentence: "as in 2011, …" or "the promised fix: …". */
  summary: string;
  /** The verdict each property must get; properties not listed are not checked on this variant. */
  expect: Record<string, Verdict>;
}

/**
 * A checkable model: a family of worlds (one per variant and configuration) and
 * the properties with their expected verdicts. Everything the command line,
 * the tests and the docs know about a model comes from this declaration.
 */
export interface ModelDefinition<Config = unknown> {
  name: string;
  summary: string;
  variants: Record<string, VariantDefinition>;
  /** Named configurations; the first is the default. */
  configs: Record<string, Config>;
  properties: Property[];
  build(variant: string, config: Config): WorldSpec;
}

export function defineModel<Config>(definition: ModelDefinition<Config>): ModelDefinition<Config> {
  for (const [variant, v] of Object.entries(definition.variants)) {
    for (const name of Object.keys(v.expect)) {
      if (!definition.properties.some((p) => p.name === name)) {
        throw new Error(`model ${definition.name}: variant ${variant} expects unknown property '${name}'`);
      }
    }
  }
  if (Object.keys(definition.configs).length === 0) throw new Error(`model ${definition.name}: declare at least one configuration`);
  return definition;
}

/**
 * A suite checked by its own means rather than by exploring a world of
 * machines: for example real async code driven by fast-check's scheduler. It
 * still reports the same result rows, so the command line lists it beside the
 * models.
 */
export interface ExternalSuite {
  name: string;
  summary: string;
  mode: 'scheduler';
  variants: Record<string, { summary: string }>;
  run(variant: string, options: { seed: number; runs: number }): Promise<import('../check/result.js').CheckResult[]>;
}
