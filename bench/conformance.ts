/**
 * How long trace validation takes on a long log: a run of the replica-election
 * implementation (implementations/replica-election) with message loss and
 * duplicates, cut to its first N events (default 100,000), parsed and
 * validated against replica-election/fixed. Prints the median of several runs,
 * each on a fresh world (so xstate's memo starts empty every time): CPU
 * seconds (what to quote on a shared machine), wall seconds, and events per
 * CPU second, for parse and validation together.
 *
 *   nice -n 10 npx tsx bench/conformance.ts [--events N] [--runs K] [--loss P]
 */
import { performance } from 'node:perf_hooks';
import { replicaElection } from '../properties/replica-election.js';
import { runCluster } from '../implementations/replica-election/cluster.js';
import { formatLogEvent, parseLog } from '../src/conformance/log.js';
import { validateLog, validationInstance } from '../src/conformance/validate.js';
import { logOfRecords, validationConfig } from '../test/conformance/replica-election-adapter.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const EVENTS = arg('--events', 100_000);
const RUNS = arg('--runs', 5);
// About 14 events a write; the run is cut to EVENTS, so it only has to be long enough.
const WRITES = Math.ceil(EVENTS / arg('--events-per-write', 9));
const LOSS = arg('--loss', 0.2);

const run = await runCluster({ seed: 1, writes: WRITES, duration: 1e12, isolations: 0, crashes: 0, network: { loss: LOSS, duplicate: 0.2 }, silence: 1e9 });
const entries = logOfRecords(run.records).entries.slice(0, EVENTS);
if (entries.length < EVENTS) throw new Error(`the run gave only ${entries.length} events`);
const text = entries.map(formatLogEvent).join('\n');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const parseTimes: number[] = [];
const validateTimes: number[] = [];
/** CPU seconds of parse and validation together: on a machine shared with other work, wall time overstates. */
const cpuTimes: number[] = [];
const parseCpuTimes: number[] = [];
let summary = '';
for (let r = 0; r < RUNS; r++) {
  const instance = validationInstance(replicaElection, 'fixed', validationConfig(WRITES));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const events = parseLog(text, { processes: instance.world.processNames });
  const parseCpu = process.cpuUsage(cpu0);
  const t1 = performance.now();
  const validation = validateLog(instance, events);
  const t2 = performance.now();
  parseTimes.push((t1 - t0) / 1000);
  validateTimes.push((t2 - t1) / 1000);
  const cpu = process.cpuUsage(cpu0);
  cpuTimes.push((cpu.user + cpu.system) / 1e6);
  parseCpuTimes.push((parseCpu.user + parseCpu.system) / 1e6);
  if (validation.verdict !== 'conforms') throw new Error(`the log does not conform: ${JSON.stringify(validation).slice(0, 300)}`);
  summary = `${validation.path.length} steps matched, ${validation.stutters} events in which nothing happens, ${instance.world.envelopes.length} distinct messages`;
}
const wall = parseTimes.map((t, i) => t + validateTimes[i]!);
const cpu = median(cpuTimes);
console.log(`${EVENTS.toLocaleString('en-US')} events, loss ${LOSS} (${(text.length / 1e6).toFixed(1)} MB; ${summary}); medians of ${RUNS} runs:`);
console.log(`CPU: ${cpu.toFixed(2)} s for parse and validation (runs: ${cpuTimes.map((t) => t.toFixed(2)).join(', ')}; parse alone ${median(parseCpuTimes).toFixed(2)} s), ${Math.round(EVENTS / cpu).toLocaleString('en-US')} events per CPU second`);
console.log(`wall: ${median(wall).toFixed(2)} s (parse ${median(parseTimes).toFixed(2)} s, validate ${median(validateTimes).toFixed(2)} s; runs: ${wall.map((t) => t.toFixed(2)).join(', ')})`);
