/**
 * `npm run bench`: how fast the exhaustive explorer goes on the largest
 * configurations, as the median of several runs, with the same exploration
 * without memoisation measured in the same process for a ratio that survives a
 * noisy machine. `--json` prints one object for comparing over time.
 */
import { breadthFirst } from '../src/engine/bfs.js';
import { instantiate } from '../src/check/instance.js';
import type { ModelDefinition } from '../src/index.js';
import { models } from '../properties/index.js';

interface Target {
  model: string;
  variant: string;
  config: string;
  /** The naive run is slow: compare both modes over this many states. */
  naiveStates: number;
}

const TARGETS: Target[] = [
  { model: 'replica-election', variant: 'fixed', config: 'three-replicas', naiveStates: 40_000 },
  { model: 'two-phase-commit', variant: 'correct', config: 'rm7', naiveStates: 40_000 },
  { model: 'control-plane', variant: 'exhaustion-fixed', config: 'small', naiveStates: 20_000 },
  { model: 'rds-failover', variant: 'fixed', config: 'stuck-lossy', naiveStates: 4_000 },
];
// Two-phase commit with 8 resource managers (1,745,408 states) takes minutes: only with --large.
const LARGE: Target[] = [{ model: 'two-phase-commit', variant: 'correct', config: 'rm8', naiveStates: 40_000 }];
const REPEATS = 3;

interface Measurement {
  states: number;
  transitions: number;
  seconds: number;
  xstateCalls: number;
  heapBytes: number;
  peakRssBytes: number;
}

function explore(model: ModelDefinition<any>, target: Target, memoize: boolean, maxStates?: number): Measurement {
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const instance = instantiate(model, target.variant, target.config, { memoize });
  const started = performance.now();
  let peakRssBytes = process.memoryUsage().rss;
  const result = breadthFirst(instance.world, [], { maxStates, stopWhen: () => ((peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss)), undefined) });
  const seconds = (performance.now() - started) / 1000;
  const heapBytes = process.memoryUsage().heapUsed - heapBefore;
  return { states: result.states, transitions: result.transitions, seconds, xstateCalls: instance.world.xstateCalls(), heapBytes, peakRssBytes };
}

const median = (values: number[]) => {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

function bench(target: Target) {
  const model = models.find((m) => m.name === target.model)!;
  const full = Array.from({ length: REPEATS }, () => explore(model, target, true));
  const memoBounded = Array.from({ length: REPEATS }, () => explore(model, target, true, target.naiveStates));
  const naiveBounded = Array.from({ length: REPEATS }, () => explore(model, target, false, target.naiveStates));
  const rate = (m: Measurement) => m.states / m.seconds;
  const first = full[0]!;
  return {
    model: target.model,
    variant: target.variant,
    config: target.config,
    states: first.states,
    transitions: first.transitions,
    medianSeconds: median(full.map((m) => m.seconds)),
    statesPerSecond: Math.round(median(full.map(rate))),
    xstateCallsPerTransition: first.xstateCalls / first.transitions,
    bytesPerState: Math.round(median(full.map((m) => m.heapBytes / m.states))),
    peakRssMb: Math.round(Math.max(...full.map((m) => m.peakRssBytes)) / 1024 / 1024),
    naive: {
      states: target.naiveStates,
      memoStatesPerSecond: Math.round(median(memoBounded.map(rate))),
      naiveStatesPerSecond: Math.round(median(naiveBounded.map(rate))),
      speedup: median(memoBounded.map(rate)) / median(naiveBounded.map(rate)),
      naiveXstateCallsPerTransition: naiveBounded[0]!.xstateCalls / naiveBounded[0]!.transitions,
    },
  };
}

const json = process.argv.includes('--json');
if (process.argv.includes('strategies')) {
  await import('./strategies.js');
  process.exit(0);
}
const results = [...TARGETS, ...(process.argv.includes('--large') ? LARGE : [])].map((target) => {
  if (!json) process.stderr.write(`benchmarking ${target.model}/${target.variant} (${target.config}), ${REPEATS} runs each…\n`);
  return bench(target);
});
if (json) {
  console.log(JSON.stringify({ node: process.version, repeats: REPEATS, results }, null, 2));
} else {
  for (const r of results) {
    console.log(`${r.model}/${r.variant} (${r.config}): ${r.states.toLocaleString('en-US')} states, ${r.transitions.toLocaleString('en-US')} transitions`);
    console.log(
      `  median ${r.medianSeconds.toFixed(2)} s, ${r.statesPerSecond.toLocaleString('en-US')} distinct states/s, ${r.xstateCallsPerTransition.toFixed(5)} xstate calls per transition, ~${r.bytesPerState} heap bytes per state, peak RSS ${r.peakRssMb} MB`,
    );
    console.log(
      `  first ${r.naive.states.toLocaleString('en-US')} states: memoised ${r.naive.memoStatesPerSecond.toLocaleString('en-US')}/s vs not memoised ${r.naive.naiveStatesPerSecond.toLocaleString('en-US')}/s = ${r.naive.speedup.toFixed(1)}x (${r.naive.naiveXstateCallsPerTransition.toFixed(2)} xstate calls per transition without)`,
    );
  }
}
