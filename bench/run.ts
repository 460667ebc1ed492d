/**
 * `npm run bench`: how fast the exhaustive explorer goes on the largest
 * configurations, as the median of several runs, with the same exploration
 * without memoisation measured in the same process for a ratio that survives a
 * noisy machine. Then the two visited-state stores (exact and fingerprint
 * mode) on two-phase commit with 8 resource managers, with SPIN on the same
 * model in the same run when it is installed (`--no-stores` skips this part,
 * `npm run bench -- stores` runs only it).
 * `--json` prints one object for comparing over time.
 */
import { breadthFirst } from '../src/engine/bfs.js';
import { instantiate } from '../src/check/instance.js';
import type { ModelDefinition } from '../src/index.js';
import { models } from '../properties/index.js';
import { peakBytesPerState, timeStore, type StoreMeasurement } from './stores.js';
import { runSpin, spinMissing, type SpinRun } from './spin.js';

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

/** The store comparison's model: SPIN's Promela twin reaches the same 1,745,408 states. */
const STORES = { model: 'two-phase-commit', variant: 'correct', config: 'rm8', rms: 8 };

function benchStores() {
  const model = models.find((m) => m.name === STORES.model)!;
  const runs = (fingerprints: boolean) => Array.from({ length: REPEATS }, () => timeStore(model, STORES.variant, STORES.config, fingerprints));
  const summarise = (ms: StoreMeasurement[]) => ({
    mode: ms[0]!.mode,
    states: ms[0]!.states,
    transitions: ms[0]!.transitions,
    cpuSeconds: median(ms.map((m) => m.cpuSeconds)),
    wallSeconds: median(ms.map((m) => m.wallSeconds)),
    statesPerCpuSecond: Math.round(median(ms.map((m) => m.states / m.cpuSeconds))),
    statesPerSecond: Math.round(median(ms.map((m) => m.states / m.wallSeconds))),
    peakBytesPerState: Math.round(peakBytesPerState(model, STORES.variant, STORES.config, ms[0]!.mode === 'fingerprints')),
  });
  const exact = summarise(runs(false));
  const fingerprints = summarise(runs(true));
  const missing = spinMissing();
  let spin: (SpinRun & { cpuSeconds: number; exactCpuRatio: number; fingerprintsCpuRatio: number; exactWallRatio: number }) | { missing: string } = { missing: missing ?? '' };
  if (!missing) {
    const spins = Array.from({ length: REPEATS }, () => runSpin(STORES.rms));
    const cpuSeconds = median(spins.map((r) => r.userSeconds + r.systemSeconds));
    const wallSeconds = median(spins.map((r) => r.wallSeconds));
    spin = { ...spins[0]!, cpuSeconds, wallSeconds, exactCpuRatio: exact.cpuSeconds / cpuSeconds, fingerprintsCpuRatio: fingerprints.cpuSeconds / cpuSeconds, exactWallRatio: exact.wallSeconds / wallSeconds };
  }
  return { ...STORES, exact, fingerprints, spin };
}

const json = process.argv.includes('--json');
if (process.argv.includes('strategies')) {
  await import('./strategies.js');
  process.exit(0);
}
// `npm run bench -- stores`: only the store comparison and SPIN.
const onlyStores = process.argv.includes('stores');
const results = (onlyStores ? [] : [...TARGETS, ...(process.argv.includes('--large') ? LARGE : [])]).map((target) => {
  if (!json) process.stderr.write(`benchmarking ${target.model}/${target.variant} (${target.config}), ${REPEATS} runs each…\n`);
  return bench(target);
});
if (!json && !process.argv.includes('--no-stores')) process.stderr.write(`benchmarking the visited-state stores on ${STORES.model}/${STORES.variant} (${STORES.config}) and SPIN, ${REPEATS} runs each…\n`);
const stores = process.argv.includes('--no-stores') ? undefined : benchStores();
if (json) {
  console.log(JSON.stringify({ node: process.version, repeats: REPEATS, results, stores }, null, 2));
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
if (!json && stores) {
  console.log(`${stores.model}/${stores.variant} (${stores.config}), no properties, median of ${REPEATS}:`);
  for (const m of [stores.exact, stores.fingerprints]) {
    console.log(
      `  ${m.mode.padEnd(12)} ${m.states.toLocaleString('en-US')} states, ${m.cpuSeconds.toFixed(2)} CPU s (${m.statesPerCpuSecond.toLocaleString('en-US')} states/CPU s), ${m.wallSeconds.toFixed(2)} s wall (${m.statesPerSecond.toLocaleString('en-US')} states/s), ~${m.peakBytesPerState} bytes per state at the peak (live heap and typed arrays, one run)`,
    );
  }
  const spin = stores.spin;
  if ('missing' in spin) console.log(`  ${spin.missing}: no ratio to SPIN`);
  else {
    console.log(`  SPIN         ${spin.states.toLocaleString('en-US')} states, ${spin.cpuSeconds.toFixed(2)} CPU s, ${spin.wallSeconds.toFixed(2)} s wall (cc -O2 -DSAFETY -DNOREDUCE, build not timed)`);
    console.log(`  project/SPIN CPU time: exact ${spin.exactCpuRatio.toFixed(1)}x, fingerprints ${spin.fingerprintsCpuRatio.toFixed(1)}x; wall (exact) ${spin.exactWallRatio.toFixed(1)}x`);
  }
}
