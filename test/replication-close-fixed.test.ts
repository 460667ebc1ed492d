import { test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { raceInvariants } from '../properties/replication-close/invariants.js';
import { raceArbitraries, runArrivals } from '../properties/replication-close/suite.js';
import { scheduleKey, scheduleOf } from '../properties/replication-close/schedule.js';

/**
 * The fixed node under the scheduler suite: 10 seeds × 1,000 runs, each run a
 * burst of opens, copies, closes and re-mirroring attempts whose awaited calls
 * are slowed and return in an order fast-check chooses. No interleaving may
 * break any of the invariants.
 */
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const RUNS = 1000;
const tally = { runs: 0, interleavings: new Set<string>() };

for (const seed of SEEDS) {
  test.prop([...raceArbitraries()], { seed, numRuns: RUNS })('replication-close fixed: no interleaving breaks an invariant', async (s, commands, latency) => {
    const journal = await runArrivals('fixed', s, commands, latency);
    tally.runs += 1;
    tally.interleavings.add(scheduleKey(scheduleOf(journal)));
    for (const invariant of raceInvariants) expect(invariant.violation(journal, true), invariant.name).toBeUndefined();
  });
}

test('replication-close fixed: the 10 × 1,000 runs exercised thousands of distinct interleavings', (ctx) => {
  // Only meaningful when the whole file ran (not under a -t filter).
  if (tally.runs < SEEDS.length * RUNS) ctx.skip();
  expect(tally.runs).toBe(SEEDS.length * RUNS);
  expect(tally.interleavings.size).toBeGreaterThan(5000);
});
