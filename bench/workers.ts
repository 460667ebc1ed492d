/**
 * `npm run bench -- workers`: does `--workers N` pay? The exhaustive check of
 * one model on one thread and on worker threads, alternated, `REPEATS` times
 * each, in this process (so CPU time counts the worker threads too): medians of
 * wall and CPU seconds, states per CPU second, the speed-up of N workers over
 * one thread and over one worker, and whether the rows are identical apart
 * from timings. Measure on a quiet machine: on a shared one the wall times say
 * little. Defaults: two-phase commit, correct, rm8, tc-consistent, 2 workers;
 * `--model M --variant V --config C --property P --workers N --repeats K`.
 */
import { checkExhaustive, checkExhaustiveParallel } from '../src/check/exhaustive.js';
import { instantiate } from '../src/check/instance.js';
import type { CheckResult } from '../src/check/result.js';
import { models } from '../properties/index.js';

const argv = process.argv.slice(2).filter((a) => a !== 'workers');
const valueOf = (name: string, fallback: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1]! : fallback);
const modelName = valueOf('--model', 'two-phase-commit');
const variant = valueOf('--variant', 'correct');
const config = valueOf('--config', 'rm8');
const property = valueOf('--property', 'tc-consistent');
const workers = Number(valueOf('--workers', '2'));
const repeats = Number(valueOf('--repeats', '3'));
const model = models.find((m) => m.name === modelName);
if (!model) {
  console.error(`bench workers: no model '${modelName}'`);
  process.exit(2);
}

interface Run {
  wall: number;
  cpu: number;
  rows: string;
  states: number;
}

/** Rows without their timings, as text: what must be identical. */
const strip = (rows: CheckResult[]) => JSON.stringify(rows, (k, v) => (k === 'seconds' ? undefined : v));

async function measure(threads: number | undefined): Promise<Run> {
  const full = instantiate(model!, variant, config);
  const instance = { ...full, properties: full.properties.filter((p) => p.name === property) };
  if (instance.properties.length === 0) throw new Error(`bench workers: ${modelName}/${variant} has no property '${property}'`);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const rows = threads === undefined ? checkExhaustive(instance) : await checkExhaustiveParallel(instance, { workers: threads });
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1e6, rows: strip(rows), states: rows[0]!.states };
}

const median = (values: number[]) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const modes: Array<[string, number | undefined]> = [
  ['one thread', undefined],
  ['1 worker', 1],
  [`${workers} workers`, workers],
];
const runs = new Map<string, Run[]>(modes.map(([name]) => [name, []]));
process.stderr.write(`benchmarking ${modelName}/${variant} (${config}, ${property}): one thread, 1 worker and ${workers} workers, ${repeats} runs each, alternated…\n`);
for (let r = 0; r < repeats; r++) for (const [name, threads] of modes) runs.get(name)!.push(await measure(threads));

const reference = runs.get('one thread')![0]!;
const summary = modes.map(([name]) => {
  const list = runs.get(name)!;
  const wall = median(list.map((m) => m.wall));
  const cpu = median(list.map((m) => m.cpu));
  return { name, wall, cpu, statesPerCpuSecond: reference.states / cpu, identical: list.every((m) => m.rows === reference.rows) };
});
const [one, single, many] = summary as [(typeof summary)[0], (typeof summary)[0], (typeof summary)[0]];
if (argv.includes('--json')) {
  console.log(JSON.stringify({ model: modelName, variant, config, property, workers, repeats, states: reference.states, summary, speedUp: { overOneThread: one.wall / many.wall, overOneWorker: single.wall / many.wall } }, null, 2));
} else {
  console.log(`${modelName}/${variant} (${config}, ${property}), ${reference.states.toLocaleString('en-US')} states, median of ${repeats}:`);
  for (const s of summary) {
    console.log(`  ${s.name.padEnd(12)} ${s.wall.toFixed(2)} s wall, ${s.cpu.toFixed(2)} CPU s, ${Math.round(s.statesPerCpuSecond).toLocaleString('en-US')} states per CPU s, rows ${s.identical ? 'identical to one thread' : 'DIFFER from one thread'}`);
  }
  console.log(`  speed-up of ${workers} workers (wall): ${(one.wall / many.wall).toFixed(2)}× over one thread, ${(single.wall / many.wall).toFixed(2)}× over 1 worker`);
}
if (!summary.every((s) => s.identical)) process.exitCode = 1;
