// Does fast-check's {seed, path} with the FULL counterexample path (every shrink step, not only the
// first failing run) give back the shrunk run of the replication-close suite exactly?
// For each (variant, invariant) that must break and each seed, searches as the suite does (shrinking
// included), then replays the full path with endOnFailure and compares the failing run: its commands
// as fast-check prints them, its schedule (arrival and return order) and the violation.
//   nice -n 10 npx tsx scripts/measure-scheduler-replay.ts [pairs=200]
import fc from 'fast-check';
import { CLOSE_VARIANTS } from '../models/replication-close/designs.js';
import { invariantNamed, raceInvariants } from '../properties/replication-close/invariants.js';
import { expectedVerdict } from '../properties/replication-close/variants.js';
import { measureFullPathReplay } from '../properties/replication-close/replay-measure.js';

const wanted = Number(process.argv[2] ?? 200);
// With `replay-path`, fc.commands also gets the replayPath fast-check prints in the counterexample.
const withReplayPath = process.argv[3] === 'replay-path';
const pairs = CLOSE_VARIANTS.flatMap((variant) => raceInvariants.filter((i) => expectedVerdict(variant, i.name) === 'violated').map((i) => ({ variant, invariant: invariantNamed(i.name) })));
let tried = 0;
const tally = { same: 0, differs: 0, unreplayable: 0 };
for (let seed = 1; tried < wanted; seed++) {
  for (const { variant, invariant } of pairs) {
    if (tried >= wanted) break;
    const outcome = await measureFullPathReplay(variant, invariant, seed, withReplayPath);
    if (outcome === undefined) continue;
    tried += 1;
    tally[outcome.outcome] += 1;
    if (outcome.outcome !== 'same') console.log(`${outcome.outcome}: ${variant} ${invariant.name} seed ${seed} path ${outcome.path}`);
  }
}
console.log(`fast-check ${fc.__version}, ${tried} full-path {seed, path${withReplayPath ? ', replayPath' : ''}} replays: ${tally.same} gave the shrunk run back, ${tally.differs} another run, ${tally.unreplayable} could not walk the path`);
