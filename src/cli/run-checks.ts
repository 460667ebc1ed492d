import { checkExhaustive, checkExhaustiveParallel, type ExhaustiveOptions } from '../check/exhaustive.js';
import { instantiate } from '../check/instance.js';
import { checkRandom } from '../check/random.js';
import type { CheckResult } from '../check/result.js';
import { checkedConfigs, exhaustiveOnlyOnRequest, variantKindLabel, type ExternalSuite, type ModelDefinition } from '../spec/model.js';
import { describeError } from '../world/errors.js';
import { UsageError, type CliOptions } from './args.js';

export type Planned = { model: ModelDefinition<any>; variant: string; config: string; suite?: undefined } | { suite: ExternalSuite; variant: string; config?: undefined; model?: undefined };

/** Resolves --model/--variant/--property against what exists; an unknown name lists the valid ones. */
export function plan(models: ReadonlyArray<ModelDefinition<any>>, options: CliOptions, suites: ReadonlyArray<ExternalSuite> = []): Planned[] {
  const allNames = [...models.map((m) => m.name), ...suites.map((s) => s.name)];
  const chosen = options.models.length ? options.models : allNames;
  for (const name of chosen) if (!allNames.includes(name)) throw new UsageError(`unknown model '${name}' (models: ${allNames.join(', ')})`);
  let selected = models.filter((m) => chosen.includes(m.name));
  // Suites have no configurations: with --config they are left out, and refused when named.
  const selectedSuites = options.modes.includes('scheduler') && !options.config ? suites.filter((s) => chosen.includes(s.name)) : [];
  const known = (list: string[], valid: string[], what: string, where: string) => {
    for (const name of list) if (!valid.includes(name)) throw new UsageError(`unknown ${what} '${name}' (${where}: ${valid.join(', ')})`);
  };
  const chosenSuites = suites.filter((s) => chosen.includes(s.name));
  const unique = (names: string[]) => [...new Set(names)];
  const allVariants = unique([...selected.flatMap((m) => Object.keys(m.variants)), ...chosenSuites.flatMap((s) => Object.keys(s.variants))]);
  known(options.variants, allVariants, 'variant', `variants of ${chosen.join(', ')}`);
  known(options.properties, unique([...selected.flatMap((m) => m.properties.map((p) => p.name)), ...chosenSuites.flatMap((s) => s.properties ?? [])]), 'property', 'properties');
  if (options.config) {
    // A configuration such as `large` is checked on every model that declares it; a model named
    // explicitly must declare it.
    const config = options.config;
    for (const s of suites) if (options.models.includes(s.name)) throw new UsageError(`${s.name} is a suite of real code and has no configurations, so --config ${config} cannot apply to it`);
    for (const m of selected) {
      if (options.models.includes(m.name) && !(config in m.configs)) throw new UsageError(`model ${m.name} has no configuration '${config}' (configurations: ${Object.keys(m.configs).join(', ')})`);
    }
    selected = selected.filter((m) => config in m.configs);
    if (selected.length === 0) throw new UsageError(`no model has a configuration '${config}' (configurations: ${[...new Set(models.flatMap((m) => Object.keys(m.configs)))].join(', ')})`);
  }
  const wantedVariant = (v: string) => options.variants.length === 0 || options.variants.includes(v);
  return [
    ...selected.flatMap((model) =>
      Object.keys(model.variants)
        .filter(wantedVariant)
        .flatMap((variant) => (options.config ? [options.config] : checkedConfigs(model, variant)).map((config) => ({ model, variant, config }))),
    ),
    ...selectedSuites.flatMap((suite) => Object.keys(suite.variants).filter(wantedVariant).map((variant) => ({ suite, variant }))),
  ];
}

/** Runs every planned model and variant in each mode; a model that throws becomes `error` rows, never a crash. */
/** Progress of one search, with what is being searched ("re-mirror/fixed on small, exhaustive"). */
export type ProgressListener = (what: string, progress: Parameters<NonNullable<ExhaustiveOptions['onProgress']>>[0]) => void;

export async function runChecks(planned: readonly Planned[], options: CliOptions, onProgress?: ProgressListener): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const { model, suite, variant, config } of planned) {
    if (suite) {
      const rows = await suite.run(variant, shardOf(options));
      const variantKind = variantKindLabel(suite, variant);
      results.push(...rows.filter((r) => options.properties.length === 0 || options.properties.includes(r.property)).map((r) => ({ ...r, variantKind })));
      continue;
    }
    const wanted = (r: CheckResult) => options.properties.length === 0 || options.properties.includes(r.property);
    for (const mode of options.modes) {
      if (mode === 'scheduler') continue;
      // Too large to search exhaustively by default: random search checks it, the exhaustive search runs with --config.
      if (mode === 'exhaustive' && !options.config && exhaustiveOnlyOnRequest(model, config!)) continue;
      try {
        // A fresh instance per mode, so each mode's coverage is its own.
        const instance = instantiate(model, variant, config!);
        if (options.properties.length) instance.properties = instance.properties.filter((p) => options.properties.includes(p.name));
        const what = `${model.name}/${variant} on ${config}, ${mode}`;
        const exhaustive = { maxStates: options.maxStates, maxDepth: options.maxDepth, maxMemoryMb: options.maxMemoryMb, symmetry: options.symmetry, fingerprints: options.fingerprints, onProgress: onProgress && ((p: Parameters<ProgressListener>[1]) => onProgress(what, p)) };
        const rows =
          mode === 'random'
            ? checkRandom(instance, {
                ...shardOf(options),
                strategy: options.strategy,
                onProgress: onProgress && ((p) => onProgress(`${what} ${p.property}`, { states: p.runs, transitions: p.steps, queue: 0, depth: p.longest, seconds: p.seconds })),
              })
            : options.workers > 1
              ? await checkExhaustiveParallel(instance, { ...exhaustive, workers: options.workers })
              : checkExhaustive(instance, exhaustive);
        results.push(...rows.filter(wanted));
      } catch (error) {
        results.push(...errorRows(model, variant, config!, options, `${model.name}/${variant} (${mode}): ${describeError(error)}`, mode));
      }
    }
  }
  return results;
}

function errorRows(model: ModelDefinition<any>, variant: string, config: string, options: CliOptions, note: string, only?: 'exhaustive' | 'random'): CheckResult[] {
  const expect = model.variants[variant]?.expect ?? {};
  const modes = only ? [only] : options.modes.filter((m) => m !== 'scheduler');
  return modes.flatMap((mode) =>
    Object.entries(expect)
      .filter(([property]) => options.properties.length === 0 || options.properties.includes(property))
      .map(([property, expected]) => ({
        model: model.name,
        variant,
        variantKind: variantKindLabel(model, variant),
        config,
        property,
        kind: model.properties.find((p) => p.name === property)!.kind,
        mode,
        expected,
        verdict: 'error' as const,
        states: 0,
        transitions: 0,
        depth: 0,
        complete: false,
        traceLength: null,
        seconds: 0,
        note,
      })),
  );
}

/** A shard searches its own seed with its share of the runs, so shards never repeat each other's behaviours. */
export function shardOf(options: CliOptions): { seed: number; runs: number } {
  if (!options.shard) return { seed: options.seed, runs: options.runs };
  const { index, count } = options.shard;
  return { seed: options.seed + index - 1, runs: Math.max(1, Math.ceil(options.runs / count)) };
}
