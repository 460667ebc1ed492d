/**
 * `npm run bench`: how fast the exhaustive explorer goes on the largest
 * configurations, as the median of several runs, with the same exploration
 * without memoisation measured in the same process for a ratio that survives a
 * noisy machine. Then the two visited-state stores (exact and fingerprint
 * mode) on two-phase commit with 8 resource managers, with SPIN on the same
 * model in the same run when it is installed, without and with the
 * invariant (and the user's check command, start-up included, against SPIN
 * with it) (`--no-stores` skips this part, `npm run bench -- stores` runs only it).
 * Last, random mode's steps per CPU second on the same model (`bench/random.ts`;
 * `npm run bench -- random` runs only that).
 * `--json` prints one object for comparing over time.
 */
import { breadthFirst } from '../src/engine/bfs.js';
import { instantiate } from '../src/check/instance.js';
import type { ModelDefinition } from '../src/index.js';
import { models } from '../properties/index.js';
import { peakBytesPerState, timeStore, type StoreMeasurement } from './stores.js';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runSpin, spinMissing } from './spin.js';
import { benchRandom, printRandomPace } from './random.js';

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

/** `unpacked`: through the plain interface, as a world without memoisation must be searched, so that a ratio between the two measures memoisation alone. */
function explore(model: ModelDefinition<any>, target: Target, memoize: boolean, maxStates?: number, unpacked = false): Measurement {
  globalThis.gc?.();
  // The packed stores keep states in typed arrays, outside the heap proper: both count.
  const inUse = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const heapBefore = inUse();
  const instance = instantiate(model, target.variant, target.config, { memoize });
  const started = performance.now();
  let peakRssBytes = process.memoryUsage().rss;
  const result = breadthFirst(instance.world, [], { maxStates, unpacked, stopWhen: () => ((peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss)), undefined) });
  const seconds = (performance.now() - started) / 1000;
  const heapBytes = inUse() - heapBefore;
  return { states: result.states, transitions: result.transitions, seconds, xstateCalls: instance.world.xstateCalls(), heapBytes, peakRssBytes };
}

const median = (values: number[]) => {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

function bench(target: Target) {
  const model = models.find((m) => m.name === target.model)!;
  const full = Array.from({ length: REPEATS }, () => explore(model, target, true));
  const memoBounded = Array.from({ length: REPEATS }, () => explore(model, target, true, target.naiveStates, true));
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
const STORES = { model: 'two-phase-commit', variant: 'correct', config: 'rm8', rms: 8, invariant: 'tc-consistent' };

/** The command a user runs for the same check, timed as a whole process (start-up included). */
const CLI_ARGS = ['--import', 'tsx', 'src/cli/main.ts', '--model', STORES.model, '--variant', STORES.variant, '--property', STORES.invariant, '--config', STORES.config, '--mode', 'exhaustive'];

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

interface ProcessRun {
  cpuSeconds: number;
  wallSeconds: number;
}

/** The user's command, CPU from /usr/bin/time (NaN without it). */
function runCli(): ProcessRun {
  const timed = existsSync('/usr/bin/time');
  const started = performance.now();
  const result = timed
    ? spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', process.execPath, ...CLI_ARGS], { cwd: PROJECT_ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })
    : spawnSync(process.execPath, CLI_ARGS, { cwd: PROJECT_ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const wallSeconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`the check command failed: ${result.stderr || result.stdout}`);
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr ?? '');
  return { cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN, wallSeconds };
}

function benchStores() {
  const model = models.find((m) => m.name === STORES.model)!;
  const runs = (fingerprints: boolean, properties: string[] = []) => Array.from({ length: REPEATS }, () => timeStore(model, STORES.variant, STORES.config, fingerprints, properties));
  const summarise = (ms: StoreMeasurement[]) => ({
    mode: ms[0]!.mode,
    properties: ms[0]!.properties,
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
  const withInvariant = summarise(runs(false, [STORES.invariant]));
  const clis = Array.from({ length: REPEATS }, runCli);
  const cli = { command: `node ${CLI_ARGS.join(' ')}`, cpuSeconds: median(clis.map((r) => r.cpuSeconds)), wallSeconds: median(clis.map((r) => r.wallSeconds)) };
  const missing = spinMissing();
  if (missing) return { ...STORES, exact, fingerprints, withInvariant, cli, spin: { missing } };
  const spinRuns = (invariant: boolean) => {
    const spins = Array.from({ length: REPEATS }, () => runSpin(STORES.rms, invariant));
    return { ...spins[0]!, cpuSeconds: median(spins.map((r) => r.userSeconds + r.systemSeconds)), wallSeconds: median(spins.map((r) => r.wallSeconds)) };
  };
  const plain = spinRuns(false);
  const checked = spinRuns(true);
  const ratio = (a: ProcessRun, b: ProcessRun) => ({ cpu: a.cpuSeconds / b.cpuSeconds, wall: a.wallSeconds / b.wallSeconds });
  return {
    ...STORES,
    exact,
    fingerprints,
    withInvariant,
    cli,
    spin: {
      plain,
      invariant: checked,
      ratios: { exact: ratio(exact, plain), fingerprints: ratio(fingerprints, plain), withInvariant: ratio(withInvariant, checked), cli: ratio(cli, checked) },
    },
  };
}

const json = process.argv.includes('--json');
if (process.argv.includes('strategies')) {
  await import('./strategies.js');
  process.exit(0);
}
// `npm run bench -- workers`: one thread against worker threads (see bench/workers.ts).
if (process.argv.includes('workers')) {
  await import('./workers.js');
  process.exit(process.exitCode ?? 0);
}
// `npm run bench -- random`: only random mode's pace.
if (process.argv.includes('random')) {
  const paces = benchRandom();
  if (json) console.log(JSON.stringify({ node: process.version, random: paces }, null, 2));
  else printRandomPace(paces);
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
if (!json) process.stderr.write(`benchmarking random mode on two-phase-commit/correct (rm8)…\n`);
const random = benchRandom();
if (json) {
  console.log(JSON.stringify({ node: process.version, repeats: REPEATS, results, stores, random }, null, 2));
} else {
  for (const r of results) {
    console.log(`${r.model}/${r.variant} (${r.config}): ${r.states.toLocaleString('en-US')} states, ${r.transitions.toLocaleString('en-US')} transitions`);
    console.log(
      `  median ${r.medianSeconds.toFixed(2)} s, ${r.statesPerSecond.toLocaleString('en-US')} distinct states/s, ${r.xstateCallsPerTransition.toFixed(5)} xstate calls per transition, ~${r.bytesPerState} heap and typed-array bytes per state, peak RSS ${r.peakRssMb} MB`,
    );
    console.log(
      `  first ${r.naive.states.toLocaleString('en-US')} states, plain interface: memoised ${r.naive.memoStatesPerSecond.toLocaleString('en-US')}/s vs not memoised ${r.naive.naiveStatesPerSecond.toLocaleString('en-US')}/s = ${r.naive.speedup.toFixed(1)}x (${r.naive.naiveXstateCallsPerTransition.toFixed(2)} xstate calls per transition without)`,
    );
  }
}
if (!json && stores) {
  console.log(`${stores.model}/${stores.variant} (${stores.config}), median of ${REPEATS}:`);
  for (const m of [stores.exact, stores.fingerprints, stores.withInvariant]) {
    const label = `${m.mode}${m.properties.length ? ` + ${m.properties.join(', ')}` : ''}`;
    console.log(
      `  ${label.padEnd(28)} ${m.states.toLocaleString('en-US')} states, ${m.cpuSeconds.toFixed(2)} CPU s (${m.statesPerCpuSecond.toLocaleString('en-US')} states/CPU s), ${m.wallSeconds.toFixed(2)} s wall (${m.statesPerSecond.toLocaleString('en-US')} states/s), ~${m.peakBytesPerState} bytes per state at the peak (live heap and typed arrays, one run)`,
    );
  }
  console.log(`  ${'the check command'.padEnd(28)} ${stores.cli.cpuSeconds.toFixed(2)} CPU s, ${stores.cli.wallSeconds.toFixed(2)} s wall, start-up included: ${stores.cli.command}`);
  const spin = stores.spin;
  if ('missing' in spin) console.log(`  ${spin.missing}: no ratio to SPIN`);
  else {
    const x = (r: { cpu: number; wall: number }) => `${r.cpu.toFixed(1)}x CPU, ${r.wall.toFixed(1)}x wall`;
    console.log(`  ${'SPIN'.padEnd(28)} ${spin.plain.states.toLocaleString('en-US')} states, ${spin.plain.cpuSeconds.toFixed(2)} CPU s, ${spin.plain.wallSeconds.toFixed(2)} s wall (cc -O2 -DSAFETY -DNOREDUCE, build not timed)`);
    console.log(
      `  ${'SPIN + TCConsistent'.padEnd(28)} ${spin.invariant.states.toLocaleString('en-US')} states, ${spin.invariant.cpuSeconds.toFixed(2)} CPU s, ${spin.invariant.wallSeconds.toFixed(2)} s wall, ${spin.invariant.errors} errors (a never claim asserting it in every state)`,
    );
    console.log(`  project/SPIN without the invariant: exact ${x(spin.ratios.exact)}; fingerprints ${x(spin.ratios.fingerprints)}`);
    console.log(`  project/SPIN with the invariant: search ${x(spin.ratios.withInvariant)}; the check command, start-up included, ${x(spin.ratios.cli)}`);
  }
}
if (!json) printRandomPace(random);
