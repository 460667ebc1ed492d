/**
 * `npm run bench -- strategies`: for every buggy variant and property it is
 * expected to break, how many random runs each strategy needs before the first
 * failure, as the median over 10 seeds (runs capped at 1,000; a search that
 * finds nothing counts as the cap and is listed as missed).
 */
import { instantiate } from '../src/check/instance.js';
import { checkRandom, STRATEGIES, type RandomSearch } from '../src/check/random.js';
import { models } from '../properties/index.js';

const SEEDS = Array.from({ length: 10 }, (_, i) => i + 1);
const RUNS = 1000;
const json = process.argv.includes('--json');

const median = (values: number[]) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rows: Array<{ model: string; variant: string; property: string; strategy: string; medianRuns: number; found: number }> = [];
for (const model of models) {
  for (const [variant, v] of Object.entries(model.variants)) {
    const broken = Object.entries(v.expect).filter(([p, verdict]) => verdict === 'violated' && model.properties.find((x) => x.name === p)!.kind !== 'eventually');
    for (const [property] of broken) {
      for (const strategy of STRATEGIES) {
        const searches: RandomSearch[] = [];
        for (const seed of SEEDS) {
          const instance = instantiate(model, variant);
          instance.properties = instance.properties.filter((p) => p.name === property);
          checkRandom(instance, { seed, runs: RUNS, strategy }, searches);
        }
        rows.push({ model: model.name, variant, property, strategy, medianRuns: median(searches.map((s) => (s.failed ? s.runsToFailure : RUNS))), found: searches.filter((s) => s.failed).length });
        if (!json) process.stderr.write('.');
      }
    }
  }
}
if (json) {
  console.log(JSON.stringify({ seeds: SEEDS.length, runs: RUNS, rows }, null, 2));
} else {
  process.stderr.write('\n');
  console.log(`median runs to first failure over ${SEEDS.length} seeds (cap ${RUNS}); found = seeds that found it`);
  const header = ['model/variant/property', ...STRATEGIES];
  const lines = new Map<string, string[]>();
  for (const r of rows) {
    const key = `${r.model}/${r.variant}/${r.property}`;
    lines.set(key, [...(lines.get(key) ?? []), `${r.medianRuns} (${r.found}/10)`]);
  }
  const width = Math.max(...[...lines.keys()].map((k) => k.length), header[0]!.length);
  console.log([header[0]!.padEnd(width), ...STRATEGIES.map((s) => s.padStart(13))].join('  '));
  for (const [key, cells] of lines) console.log([key.padEnd(width), ...cells.map((c) => c.padStart(13))].join('  '));
}
