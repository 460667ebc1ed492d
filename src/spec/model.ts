import type { StoryPresentation } from './story-presentation.js';
import type { WorldSpec } from '../world/model-spec.js';
import type { Property, SourceRef } from './property.js';

export type Verdict = 'holds' | 'violated';

/**
 * What a variant claims to be, relative to the source it models:
 * - `as-it-happened`: what the source says happened (labelled "as in <incident>",
 *   e.g. "as in 2011"); it must break something.
 * - `without-safeguard`: a counterfactual with a safeguard the source credits
 *   taken away, showing why that safeguard exists; it must break something.
 * - `fixed`: a remedy (promised by the source, or the project's own design when
 *   the source promises none); every property it is checked on must hold.
 * - `ablation`: a fixed variant with exactly one of its declared safeguards
 *   removed; it must break something, or the safeguard is not needed.
 * - `failed-fix`: an earlier attempt at a fix that the checker broke, kept with
 *   its counterexample.
 * - `partial`: a fixed variant with only some of a set of protections, checked
 *   to find out whether those alone suffice (a cell of a protections matrix).
 */
export type VariantKind = 'as-it-happened' | 'without-safeguard' | 'fixed' | 'ablation' | 'failed-fix' | 'partial';

export const VARIANT_KINDS: Record<VariantKind, string> = {
  'as-it-happened': 'as it happened',
  'without-safeguard': 'without a safeguard',
  fixed: 'fixed',
  ablation: 'fix minus a safeguard',
  'failed-fix': 'failed first fix',
  partial: 'partial protections',
};

/** One decision a fixed variant makes that the variant it repairs lacks. */
export interface Safeguard {
  /** The safeguard in plain words, one sentence. */
  statement: string;
  /** The variant that is the fix with only this safeguard removed (kind `ablation`). */
  ablation: string;
  /**
   * Machine transitions the safeguard adds, as coverage labels ("backoff on RETRY")
   * of the machine with that id. A fixed variant whose check never takes one of
   * them is `vacuous`: the path of the fix was not exercised. `configs` names the
   * configurations whose exploration must take it, when only some can (a
   * retry after a false suspicion needs a configuration with one); without it,
   * every configuration the variant is checked on must.
   */
  transitions?: Array<{ machine: string; transition: string; configs?: string[] }>;
}

export interface VariantDefinition {
  /** Required of variants that model a documented incident; a user's own protocol may leave it out. */
  kind?: VariantKind;
  /** What this variant does, in a sentence. */
  summary: string;
  /** The passage of the source the variant rests on (required for as-it-happened, without-safeguard and fixed). */
  passage?: SourceRef;
  /** Fixed variants: whether the source promises this remedy or the design is the project's own. */
  remedy?: 'promised' | 'own';
  /** The verdict each property must get; properties not listed are not checked on this variant. */
  expect: Record<string, Verdict>;
  /** Fixed variants: the safeguards the fix adds, each with the ablation that removes it. */
  safeguards?: Record<string, Safeguard>;
  /** Ablations, failed fixes and partial variants: the fixed variant they depart from. */
  of?: string;
  /** The configurations `npm run check` checks this variant on; default the model's `checked`. */
  configs?: string[];
  /**
   * Fixed variants: a fault of the realistic environment that does not apply to
   * this protocol, with the reason (e.g. loss: "calls ride TCP inside one
   * process; the protocol claims no tolerance of loss"). The docs print it; a
   * test holds every fixed variant without one to the full environment.
   */
  exemptions?: Partial<Record<EnvironmentFault, string>>;
  /**
   * Violations this variant is expected to have that the default random search
   * is known not to find, by property, with the measured reason. A random row
   * that misses one is shown as a known gap (not as a pass, and apart from the
   * verdicts as expected); exhaustive search must still find it. An admission,
   * for the rare bug random search cannot reach yet, never a way to pass.
   */
  randomSearchGaps?: Record<string, string>;
}

/** What a fixed variant must survive in some configuration it is checked on. */
export type EnvironmentFault = 'message-loss' | 'crash-restart' | 'timers-in-flight';

/**
 * A table of variants that switch a set of protections on and off, to test a
 * claim of the source such as "each of these alone prevents a repeat".
 */
export interface ProtectionsMatrix {
  name: string;
  /** The claim under test, in plain words, with its passage. */
  claim: string;
  passage: SourceRef;
  protections: string[];
  /** One variant per combination checked: the protections it has switched on. */
  cells: Array<{ variant: string; on: string[] }>;
  /** The property whose verdict decides whether a combination prevents the failure. */
  properties: string[];
}

/**
 * A checkable model: a family of worlds (one per variant and configuration) and
 * the properties with their expected verdicts. Everything the command line,
 * the tests and the docs know about a model comes from this declaration.
 */
export interface ModelDefinition<Config = unknown> {
  name: string;
  summary: string;
  /** The incident the model reproduces, as variant labels name it ("2011" gives "as in 2011"). */
  incident?: string;
  variants: Record<string, VariantDefinition>;
  /** Named configurations; the first is the default. */
  configs: Record<string, Config>;
  /**
   * The configurations `npm run check` checks when no `--config` is given
   * (default: the first). Larger ones are checked only on request.
   */
  checked?: string[];
  /** What each configuration is, in a sentence, for the docs and for row notes. */
  configNotes?: Record<string, string>;
  /**
   * Configurations checked on request only, where random search may miss a
   * violation the variant expects: for each, the measured share of seeds that
   * find the violations there (`npm run bench -- strategies --config C`). A
   * miss there is shown as "found or missed", neither a pass nor a failure;
   * a configuration `npm run check` checks by default cannot be named.
   */
  randomOnRequest?: Record<string, string>;
  /**
   * Configurations `npm run check` checks by default with random search only,
   * because an exhaustive search there does not finish in the default check:
   * for each, how far one got (states, depth, seconds, the command). The
   * exhaustive search runs on request (`--config C`). Every variant checked
   * there by default is still checked, and random search must find each
   * violation it expects on every seed, as on any default configuration.
   */
  exhaustiveOnRequest?: Record<string, string>;
  properties: Property[];
  matrices?: ProtectionsMatrix[];
  /** How stories show this model's worlds (hidden bookkeeping, views in place of fields, faults in its words). */
  story?: StoryPresentation;
  build(variant: string, config: Config): WorldSpec;
}

const MUST_BREAK: ReadonlySet<VariantKind> = new Set(['as-it-happened', 'without-safeguard', 'ablation', 'failed-fix']);

export function defineModel<Config>(definition: ModelDefinition<Config>): ModelDefinition<Config> {
  const fail = (what: string): never => {
    throw new Error(`model ${definition.name}: ${what}`);
  };
  if (Object.keys(definition.configs).length === 0) fail('declare at least one configuration');
  if (definition.incident !== undefined && Object.entries(definition.variants).some(([, v]) => v.kind === undefined)) {
    fail(`a model of an incident labels every variant with its kind (${Object.keys(VARIANT_KINDS).join(', ')})`);
  }
  for (const config of definition.checked ?? []) if (!(config in definition.configs)) fail(`checked configuration '${config}' is not declared`);
  for (const [name, v] of Object.entries(definition.variants)) {
    if (v.kind !== undefined && !(v.kind in VARIANT_KINDS)) fail(`variant ${name} has unknown kind '${String(v.kind)}' (kinds: ${Object.keys(VARIANT_KINDS).join(', ')})`);
    for (const property of Object.keys(v.expect)) {
      if (!definition.properties.some((p) => p.name === property)) fail(`variant ${name} expects unknown property '${property}'`);
    }
    for (const config of v.configs ?? []) if (!(config in definition.configs)) fail(`variant ${name} is checked on undeclared configuration '${config}'`);
    for (const property of Object.keys(v.randomSearchGaps ?? {})) {
      if (v.expect[property] !== 'violated') fail(`variant ${name} declares a random-search gap for '${property}', which it is not expected to violate`);
    }
    if ((v.kind === 'as-it-happened' || v.kind === 'without-safeguard' || v.kind === 'fixed') && !v.passage) fail(`variant ${name} (${v.kind}) must cite the passage it rests on`);
    if (v.kind !== undefined && MUST_BREAK.has(v.kind) && !Object.values(v.expect).includes('violated')) fail(`variant ${name} (${VARIANT_KINDS[v.kind]}) must be expected to break some property`);
    if (v.kind === 'fixed') {
      if (!v.remedy) fail(`fixed variant ${name} must say whether its remedy is promised by the source or the project's own`);
      const broken = Object.entries(v.expect).filter(([, verdict]) => verdict !== 'holds');
      if (broken.length) fail(`fixed variant ${name} must hold every property it is checked on (not ${broken.map(([p]) => p).join(', ')})`);
      for (const [safeguard, s] of Object.entries(v.safeguards ?? {})) {
        const ablation = definition.variants[s.ablation];
        if (!ablation || ablation.kind !== 'ablation' || ablation.of !== name) fail(`safeguard ${safeguard} of ${name} names '${s.ablation}', which is not an ablation of ${name}`);
        for (const t of s.transitions ?? []) {
          for (const config of t.configs ?? []) {
            // Owed by a configuration the variant is not checked on, the path would be judged nowhere.
            if (!checkedConfigs(definition, name).includes(config)) fail(`safeguard ${safeguard} of ${name}: '${t.transition}' is owed by configuration '${config}', on which ${name} is not checked`);
          }
        }
      }
    } else if (v.safeguards) {
      fail(`variant ${name}: only fixed variants declare safeguards`);
    }
    if (v.kind === 'ablation' || v.kind === 'failed-fix' || v.kind === 'partial') {
      const base = v.of === undefined ? undefined : definition.variants[v.of];
      if (!base || base.kind !== 'fixed') fail(`variant ${name} (${v.kind}) must name the fixed variant it departs from in 'of'`);
      if (v.kind === 'ablation' && !Object.values(base!.safeguards ?? {}).some((s) => s.ablation === name)) fail(`ablation ${name} removes no safeguard that ${v.of} declares`);
    }
  }
  for (const config of Object.keys(definition.randomOnRequest ?? {})) {
    if (!(config in definition.configs)) fail(`randomOnRequest names undeclared configuration '${config}'`);
    const checkedBy = Object.keys(definition.variants).find((v) => checkedConfigs(definition, v).includes(config));
    if (checkedBy) fail(`randomOnRequest names '${config}', which npm run check checks by default (variant ${checkedBy}): there random search must find every violation`);
  }
  for (const [config, howFar] of Object.entries(definition.exhaustiveOnRequest ?? {})) {
    if (!(config in definition.configs)) fail(`exhaustiveOnRequest names undeclared configuration '${config}'`);
    if (!howFar.trim()) fail(`exhaustiveOnRequest '${config}' must say how far an exhaustive search got`);
    if (!Object.keys(definition.variants).some((v) => checkedConfigs(definition, v).includes(config))) fail(`exhaustiveOnRequest names '${config}', which no variant is checked on by default`);
  }
  for (const matrix of definition.matrices ?? []) {
    for (const cell of matrix.cells) {
      if (!(cell.variant in definition.variants)) fail(`matrix ${matrix.name} names unknown variant '${cell.variant}'`);
      for (const p of cell.on) if (!matrix.protections.includes(p)) fail(`matrix ${matrix.name}: '${p}' is not one of its protections`);
    }
    for (const p of matrix.properties) if (!definition.properties.some((q) => q.name === p)) fail(`matrix ${matrix.name} names unknown property '${p}'`);
  }
  return definition;
}

/** The label of a variant's kind as tables and docs print it ("as in 2011", "fixed"); '-' when unlabelled. */
export function variantKindLabel(model: { incident?: string; variants: Record<string, { kind?: VariantKind }> }, variant: string): string {
  const kind = model.variants[variant]?.kind;
  if (kind === undefined) return '-';
  return kind === 'as-it-happened' && model.incident ? `as in ${model.incident}` : VARIANT_KINDS[kind];
}

/**
 * Why a random-mode miss of an expected violation is neither a pass nor a
 * failure, if it is one: a gap the variant declares for the property, or a
 * configuration checked on request where random search finds or misses.
 */
export function randomMissExcuse(model: ModelDefinition<any>, variant: string, config: string, property: string): string | undefined {
  const gap = model.variants[variant]?.randomSearchGaps?.[property];
  if (gap !== undefined) return gap;
  const share = model.randomOnRequest?.[config];
  return share === undefined ? undefined : `found or missed on configuration ${config}, checked on request: ${share}`;
}

/** Whether `npm run check`, given no configuration, skips the exhaustive search of this one (it runs on request). */
export function exhaustiveOnlyOnRequest(model: ModelDefinition<any>, config: string): boolean {
  return model.exhaustiveOnRequest?.[config] !== undefined;
}

/** The configurations a variant is checked on when none is asked for. */
export function checkedConfigs(model: ModelDefinition<any>, variant: string): string[] {
  return model.variants[variant]?.configs ?? model.checked ?? [Object.keys(model.configs)[0]!];
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
  incident?: string;
  variants: Record<string, { kind?: VariantKind; summary: string; passage?: SourceRef }>;
  /** The properties its rows report, so `--property` can choose among them. */
  properties?: string[];
  run(variant: string, options: { seed: number; runs: number }): Promise<import('../check/result.js').CheckResult[]>;
}
