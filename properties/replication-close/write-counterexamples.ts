/**
 * Refreshes `counterexamples/replication-close/`: searches the buggy variant
 * with a fixed seed and writes one replay file per invariant.
 *   npx tsx properties/replication-close/write-counterexamples.ts [seed]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { COUNTEREXAMPLE_DIR, counterexamplePath, type CounterexampleFile } from './counterexample-file.js';
import { storyOf } from './index.js';
import { raceInvariants } from './invariants.js';
import { searchRace } from './suite.js';

export const COUNTEREXAMPLE_SEED = 1;

const seed = Number(process.argv[2] ?? COUNTEREXAMPLE_SEED);
mkdirSync(COUNTEREXAMPLE_DIR, { recursive: true });
for (const invariant of raceInvariants) {
  const r = await searchRace({ variant: 'buggy', invariant: invariant.name, seed });
  const c = r.counterexample;
  if (c === undefined) throw new Error(`seed ${seed}: ${invariant.name} not broken in ${r.stats.runs} runs`);
  const file: CounterexampleFile = {
    model: 'replication-close',
    variant: 'buggy',
    invariant: invariant.name,
    seed,
    path: c.path,
    violation: c.violation,
    schedule: c.minimal,
    story: await storyOf('buggy', invariant, c),
  };
  // One schedule step per line, so that a diff of a refreshed file reads like the schedule.
  const text = JSON.stringify({ ...file, schedule: [] }, null, 2).replace('"schedule": []', `"schedule": [\n${file.schedule.map((s) => `    ${JSON.stringify(s)}`).join(',\n')}\n  ]`);
  writeFileSync(counterexamplePath('buggy', invariant.name), text + '\n');
  console.log(`${invariant.name}: ${c.minimal.length} steps -> ${counterexamplePath('buggy', invariant.name)}`);
}
