import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CLOSE_VARIANTS } from '../models/replication-close/designs.js';
import { invariantNamed, raceInvariants } from '../properties/replication-close/invariants.js';
import { measureFullPathReplay } from '../properties/replication-close/replay-measure.js';
import { expectedVerdict } from '../properties/replication-close/variants.js';

/*
 * Does {seed, path} with the full counterexample path give the shrunk run back exactly (fast-check 4.11)?
 * Every (variant, invariant) that must break, on seeds 1, 2, …: search with shrinking, then replay the
 * full path with endOnFailure and compare the failing run (commands, schedule, violation).
 * scripts/measure-scheduler-replay.ts runs the same over 200 pairs: 200 of 200 with replayPath, 0 without.
 */
const pairs = CLOSE_VARIANTS.flatMap((variant) => raceInvariants.filter((i) => expectedVerdict(variant, i.name) === 'violated').map((i) => ({ variant, invariant: invariantNamed(i.name) })));

async function tally(count: number, withReplayPath: boolean) {
  const outcomes = { same: 0, differs: 0, unreplayable: 0 };
  const misses: string[] = [];
  for (let seed = 1, tried = 0; tried < count; seed++) {
    for (const { variant, invariant } of pairs.slice(0, count - tried)) {
      const outcome = await measureFullPathReplay(variant, invariant, seed, withReplayPath);
      if (outcome === undefined) continue;
      tried += 1;
      outcomes[outcome.outcome] += 1;
      if (outcome.outcome !== 'same') misses.push(`${variant} ${invariant.name} seed ${seed} path ${outcome.path}: ${outcome.outcome}`);
    }
  }
  return { outcomes, misses };
}

describe(`replication-close: replaying the full fast-check path (fast-check ${fc.__version})`, () => {
  test('with the commands\' replayPath, every replay is the shrunk run (100 pairs)', async () => {
    const { outcomes, misses } = await tally(100, true);
    expect(misses).toEqual([]);
    expect(outcomes.same).toBe(100);
  }, 60_000);

  // Why the replay needs replayPath: fc.commands shrinks only the commands that ran, which fast-check
  // cannot know when it walks a path without running it. If a fast-check release changes that, this says so.
  test('with the path alone, the replay is not the shrunk run (30 pairs)', async () => {
    const { outcomes } = await tally(30, false);
    expect(outcomes.same).toBe(0);
    expect(outcomes.differs + outcomes.unreplayable).toBe(30);
  }, 60_000);
});
