/**
 * Random mode's pace: steps per CPU second of `checkRandom` on two-phase
 * commit with 8 resource managers (the configuration the exhaustive figures
 * use), for the default search (`mix`, with its novelty walks) and for plain
 * `uniform` commands, the median of three seeds each. A step is one action a
 * run takes, a replayed or settling one included; CPU time, not wall, so the
 * figure survives a busy machine.
 */
import { instantiate } from '../src/check/instance.js';
import { checkRandom, type StrategyName } from '../src/check/random.js';
import { models } from '../properties/index.js';

export interface RandomPace {
  model: string;
  variant: string;
  config: string;
  property: string;
  strategy: StrategyName;
  runs: number;
  steps: number;
  cpuSeconds: number;
  stepsPerCpuSecond: number;
}

const TARGET = { model: 'two-phase-commit', variant: 'correct', config: 'rm8', property: 'tc-consistent' } as const;
const SEEDS = [1, 2, 3];

/** One strategy's pace: the run with the median steps per CPU second of the seeds above. */
export function randomPace(strategy: StrategyName): RandomPace {
  const model = models.find((m) => m.name === TARGET.model)!;
  const measured = SEEDS.map((seed) => {
    const instance = instantiate(model, TARGET.variant, TARGET.config);
    instance.properties = instance.properties.filter((p) => p.name === TARGET.property);
    const before = process.cpuUsage();
    const [row] = checkRandom(instance, { seed, runs: 1000, strategy });
    const used = process.cpuUsage(before);
    const cpuSeconds = (used.user + used.system) / 1e6;
    return { ...TARGET, strategy, runs: row!.states, steps: row!.transitions, cpuSeconds, stepsPerCpuSecond: row!.transitions / cpuSeconds };
  });
  return measured.sort((a, b) => a.stepsPerCpuSecond - b.stepsPerCpuSecond)[1]!;
}

export function benchRandom(): RandomPace[] {
  return (['mix', 'uniform'] as const).map(randomPace);
}

export function printRandomPace(paces: readonly RandomPace[]): void {
  const { model, variant, config, property } = TARGET;
  console.log(`random mode on ${model}/${variant} (${config}), ${property}, median of seeds ${SEEDS.join(', ')}:`);
  for (const p of paces) {
    console.log(`  ${p.strategy.padEnd(8)} ${Math.round(p.stepsPerCpuSecond).toLocaleString('en-US').padStart(9)} steps per CPU s (${p.runs.toLocaleString('en-US')} runs, ${p.steps.toLocaleString('en-US')} steps, ${p.cpuSeconds.toFixed(2)} CPU s)`);
  }
}

if (process.argv[1]?.endsWith("random.ts")) printRandomPace(benchRandom());
