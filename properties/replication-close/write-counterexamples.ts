/**
 * Refreshes `counterexamples/replication-close/`: surveys every variant with a
 * fixed seed and writes one replay file per invariant the survey saw broken,
 * removing files of pairs that no longer break.
 *   npx tsx properties/replication-close/write-counterexamples.ts [seed]
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { CLOSE_VARIANTS } from '../../models/replication-close/designs.js';
import { COUNTEREXAMPLE_DIR, counterexamplePath, type CounterexampleFile } from './counterexample-file.js';
import { storyOf } from './index.js';
import { invariantNamed } from './invariants.js';
import { DEFAULT_RUNS, searchRace, surveyVariant } from './suite.js';

export const COUNTEREXAMPLE_SEED = 1;

const seed = Number(process.argv[2] ?? COUNTEREXAMPLE_SEED);
mkdirSync(COUNTEREXAMPLE_DIR, { recursive: true });
const written = new Set<string>();
for (const variant of CLOSE_VARIANTS) {
  const survey = await surveyVariant(variant, seed, DEFAULT_RUNS);
  for (const name of survey.broken.keys()) {
    const invariant = invariantNamed(name);
    const r = await searchRace({ variant, invariant: name, seed });
    const c = r.counterexample;
    if (c === undefined) throw new Error(`seed ${seed}: ${variant}/${name} broke in the survey but not in its search`);
    const file: CounterexampleFile = { model: 'replication-close', variant, invariant: name, seed, path: c.path, replayPath: c.replayPath, violation: c.violation, schedule: c.minimal, story: await storyOf(variant, invariant, c) };
    // One schedule step per line, so that a diff of a refreshed file reads like the schedule.
    const text = JSON.stringify({ ...file, schedule: [] }, null, 2).replace('"schedule": []', `"schedule": [\n${file.schedule.map((s) => `    ${JSON.stringify(s)}`).join(',\n')}\n  ]`);
    const path = counterexamplePath(variant, name);
    writeFileSync(path, text + '\n');
    written.add(path);
    console.log(`${variant}/${name}: ${c.minimal.length} steps -> ${path}`);
  }
}
for (const f of readdirSync(COUNTEREXAMPLE_DIR)) {
  if (f.endsWith('.json') && !written.has(`${COUNTEREXAMPLE_DIR}${f}`)) {
    rmSync(`${COUNTEREXAMPLE_DIR}${f}`);
    console.log(`removed stale ${f}`);
  }
}
