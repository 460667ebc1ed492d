/**
 * `npm run bench -- strategies`: does the default random search find every
 * bug on every seed? For each variant that must break something (as in the
 * incident, without a safeguard, ablations, failed fixes, and any unlabelled
 * variant expected to break a property), on each configuration `npm run check`
 * checks it on, and each property it must break: the share of seeds 1..N
 * (default 100) whose default random run (the check's own runs and strategy)
 * finds the violation, and the median runs to the first failure.
 * `--strategies` also compares every strategy; `--seeds N` changes N;
 * `--model M` and `--variant V` measure only those; `--runs N` changes the runs; `--config C` measures a
 * configuration checked on request instead (the figure a model's
 * `randomOnRequest` states); `--json`.
 */
import { instantiate } from '../src/check/instance.js';
import { checkRandom, STRATEGIES, type RandomSearch, type StrategyName } from '../src/check/random.js';
import { parseArgs } from '../src/cli/args.js';
import { checkedConfigs } from '../src/spec/model.js';
import { models } from '../properties/index.js';

const argv = process.argv.slice(2).filter((a) => a !== 'strategies');
const flag = (name: string) => argv.includes(name);
const valueOf = (name: string) => (flag(name) ? argv[argv.indexOf(name) + 1] : undefined);
const seedsArg = valueOf('--seeds');
const onlyModel = valueOf('--model');
const onlyVariant = valueOf('--variant');
const onRequestConfig = valueOf('--config');
const SEEDS = Array.from({ length: flag('--seeds') ? Number(seedsArg) : 100 }, (_, i) => i + 1);
// The defaults a user gets from `npm run check`, read from the command line's own parser.
const DEFAULTS = parseArgs(valueOf('--runs') === undefined ? [] : ['--runs', valueOf('--runs')!]);
const strategies: StrategyName[] = flag('--strategies') ? [...STRATEGIES] : flag('--strategy') ? [valueOf('--strategy') as StrategyName] : [DEFAULTS.strategy];
const json = flag('--json');

interface Row {
  model: string;
  variant: string;
  config: string;
  property: string;
  strategy: string;
  found: number;
  seeds: number;
  medianRunsToFailure: number | null;
  /** The seeds whose run missed it. */
  missedSeeds: number[];
}
const median = (values: number[]) => (values.length ? values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)]! : null);
const rows: Row[] = [];
for (const model of models.filter((m) => !onlyModel || m.name === onlyModel)) {
  for (const [variant, v] of Object.entries(model.variants).filter(([name]) => !onlyVariant || name === onlyVariant)) {
    const broken = Object.entries(v.expect).filter(([p, verdict]) => verdict === 'violated' && model.properties.find((x) => x.name === p)!.kind !== 'sometimes');
    const configs = onRequestConfig === undefined ? checkedConfigs(model, variant) : onRequestConfig in model.configs ? [onRequestConfig] : [];
    for (const config of configs) {
      for (const [property] of broken) {
        for (const strategy of strategies) {
          const searches: RandomSearch[] = [];
          const missedSeeds: number[] = [];
          for (const seed of SEEDS) {
            const instance = instantiate(model, variant, config);
            instance.properties = instance.properties.filter((p) => p.name === property);
            checkRandom(instance, { seed, runs: DEFAULTS.runs, strategy }, searches);
            if (!searches[searches.length - 1]!.failed) missedSeeds.push(seed);
          }
          const found = searches.filter((s) => s.failed);
          rows.push({ model: model.name, variant, config, property, strategy, found: found.length, seeds: SEEDS.length, medianRunsToFailure: median(found.map((s) => s.runsToFailure)), missedSeeds });
          if (!json) process.stderr.write('.');
        }
      }
    }
  }
}
if (json) {
  console.log(JSON.stringify({ seeds: SEEDS.length, runs: DEFAULTS.runs, rows }, null, 2));
} else {
  process.stderr.write('\n');
  console.log(`seeds 1..${SEEDS.length} whose random run (${DEFAULTS.runs} runs per fault the configuration allows) finds the violation, and the median runs to the first failure among those`);
  const key = (r: Row) => `${r.model}/${r.variant}@${r.config}/${r.property}`;
  const width = Math.max(...rows.map((r) => key(r).length), 10);
  console.log([''.padEnd(width), ...strategies.map((s) => s.padStart(18))].join('  '));
  const lines = new Map<string, string[]>();
  for (const r of rows) lines.set(key(r), [...(lines.get(key(r)) ?? []), `${((100 * r.found) / r.seeds).toFixed(0)}% (median ${r.medianRunsToFailure ?? '-'})`]);
  for (const [k, cells] of lines) console.log([k.padEnd(width), ...cells.map((c) => c.padStart(18))].join('  '));
  // The strategy judged: the one asked for, else the default.
  const judged = strategies.length === 1 ? strategies[0]! : DEFAULTS.strategy;
  const missing = rows.filter((r) => r.found < r.seeds && r.strategy === judged);
  for (const r of missing) console.log(`missed: ${key(r)} on seed${r.missedSeeds.length > 1 ? 's' : ''} ${r.missedSeeds.join(', ')}`);
  console.log(missing.length ? `\n${missing.length} of ${rows.filter((r) => r.strategy === judged).length} not found on every seed by ${judged}.` : `\nEvery one found on every seed by ${judged}.`);
}
