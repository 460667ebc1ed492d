/**
 * Explores every published-count example and prints its figures beside TLC's.
 *
 *   npx tsx models/examples/count-states.ts            # every example
 *   npx tsx models/examples/count-states.ts paxos      # the examples of one model
 *
 * Exits non-zero when a distinct-state count or a depth differs from TLC's.
 */
import { explore, PUBLISHED_RUNS } from './published.js';

let mismatches = 0;
const only = process.argv.slice(2);
for (const run of PUBLISHED_RUNS) {
  if (only.length > 0 && !only.includes(run.model.name)) continue;
  const started = performance.now();
  const r = explore(run);
  const seconds = (performance.now() - started) / 1000;
  const agrees = r.states === run.distinctStates && r.depth === (run.depthDiffers ? run.depthDiffers.engineDepth : run.stateDepth - 1);
  if (!agrees) mismatches++;
  const config = r.initial > 1 ? `${run.config} (${r.initial} initial states)` : run.config;
  console.log(
    `${run.model.name} ${config}: ${r.states} distinct (TLC ${run.distinctStates}), depth ${r.depth} + 1 (TLC ${run.stateDepth}), ` +
      `${r.transitions} transitions + ${r.initial} initial (TLC ${run.totalStates} states generated), ${seconds.toFixed(2)} s${agrees ? '' : '  DIFFERS'}${run.depthDiffers ? ' (depth: known difference, see the README)' : ''}`,
  );
}
process.exitCode = mismatches === 0 ? 0 : 1;
