import { describe, expect, test } from 'vitest';
import { invariantNamed, raceInvariants, type RaceInvariantName } from '../properties/replication-close/invariants.js';
import { readCounterexample } from '../properties/replication-close/counterexample-file.js';
import { DEFAULT_RUNS, renderStory, replaySchedule, runReplicationCloseCheck, searchRace, type SearchResult } from '../properties/replication-close/index.js';
import { violationIn, type ScheduleStep } from '../properties/replication-close/schedule.js';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const without = (steps: readonly ScheduleStep[], i: number) => [...steps.slice(0, i), ...steps.slice(i + 1)];

/** Checks one found counterexample: both schedules replay to the break, no step of the minimal one can go, and the fixed node survives it. */
async function checkCounterexample(invariant: RaceInvariantName, r: SearchResult): Promise<void> {
  const c = r.counterexample!;
  const inv = invariantNamed(invariant);
  expect(await violationIn('buggy', inv, c.schedule), 'the shrunk run, replayed step by step').toEqual(c.found);
  expect(await violationIn('buggy', inv, c.minimal), 'the minimal schedule').toEqual(c.violation);
  for (let i = 0; i < c.minimal.length; i++) {
    expect(await violationIn('buggy', inv, without(c.minimal, i)), `minimal schedule without step ${i + 1}`).toBeUndefined();
  }
  for (const other of raceInvariants) expect(await violationIn('fixed', other, c.minimal), `fixed node, ${other.name}`).toBeUndefined();
  expect(r.stats.interleavings).toBeGreaterThan(0);
  expect(r.stats.interleavings).toBeLessThanOrEqual(r.stats.runs);
}

describe('replication-close, buggy: the scheduler finds the race on concurrent closes', () => {
  for (const invariant of ['node-never-crashes', 'no-write-after-close', 'every-close-answered-once'] as const) {
    test(`${invariant}: broken in at least 9 of 10 seeds within ${DEFAULT_RUNS} runs, each shrunk to a 1-minimal schedule`, async () => {
      const results: SearchResult[] = [];
      for (const seed of SEEDS) results.push(await searchRace({ variant: 'buggy', invariant, seed }));
      const found = results.filter((r) => r.counterexample !== undefined);
      expect(found.length).toBeGreaterThanOrEqual(9);
      for (const r of found) await checkCounterexample(invariant, r);
      // Every race this small needs an open, its connect, and two handlers on the same session.
      expect(Math.max(...found.map((r) => r.counterexample!.minimal.length))).toBeLessThanOrEqual(6);
    });
  }
});

describe('replication-close: replaying a found race', () => {
  for (const invariant of ['node-never-crashes', 'no-write-after-close', 'every-close-answered-once'] as const) {
    test(`counterexamples/replication-close/buggy-${invariant}.json replays without fast-check, and is what the search finds today`, async () => {
      const file = readCounterexample('buggy', invariant);
      const replay = await replaySchedule('buggy', file.schedule);
      const violation = invariantNamed(invariant).violation(replay.journal, replay.quiescent);
      expect(violation).toEqual(file.violation);
      expect(renderStory({ variant: 'buggy', invariant, journal: replay.journal, violation: violation!, replay: { seed: file.seed, path: file.path } })).toEqual(file.story);
      const fresh = await searchRace({ variant: 'buggy', invariant, seed: file.seed });
      expect(fresh.counterexample).toMatchObject({ path: file.path, minimal: file.schedule });
    });
  }

  test('seed and path give back the same counterexample, starting from the first failing run', async () => {
    for (const invariant of ['node-never-crashes', 'no-write-after-close'] as const) {
      const file = readCounterexample('buggy', invariant);
      const firstFailure = Number(file.path.split(':')[0]);
      const r = await searchRace({ variant: 'buggy', invariant, seed: file.seed, path: file.path });
      expect(r.counterexample).toMatchObject({ path: file.path, minimal: file.schedule, violation: file.violation });
      // The runs before the first failure are skipped; what remains is that run and fast-check's shrinking.
      const search = await searchRace({ variant: 'buggy', invariant, seed: file.seed });
      expect(r.stats.runs).toBe(search.stats.runs - firstFailure);
    }
  });

  test('the story names the two closes that collided, on one screen', () => {
    const story = readCounterexample('buggy', 'node-never-crashes').story;
    expect(story.length).toBeLessThanOrEqual(20);
    expect(story).toMatchInlineSnapshot(`
      [
        "replication-close (buggy): node-never-crashes broken in 6 steps",
        "replay: seed 1, path "8:2:5:6:6:5"",
        " 1. open#1 arrives for s1; it connects to the peer (channel 1)",
        " 2. the connect returns to open#1; it answers opened",
        " 3. close#2 arrives for s1; it finds s1 in the table, marks it closing and asks the control plane to release it",
        " 4. close#3 arrives for s1; it finds s1 in the table, already closing under close#2, and asks the control plane to release it too",
        " 5. the control plane's release returns to close#2; it closes channel 1 of s1; answers closed",
        " 6. the control plane's release returns to close#3; it closes channel 1 of s1 again; 'EBADF: channel 1 (s1) is already closed' escapes the handler: NODE DOWN",
        "Broken: close#3 on s1 let 'EBADF: channel 1 (s1) is already closed' escape its handler: the node went down.",
        "Collision: close#3 looked s1 up at step 4 and acted on what it saw at step 6; in between, at step 5, close#2 closed channel 1 of s1.",
      ]
    `);
  });
});

describe('replication-close: check rows for npm run check', () => {
  test('buggy: every invariant violated as expected, with a story and replay data', async () => {
    const rows = await runReplicationCloseCheck({ variant: 'buggy', seed: 1, runs: DEFAULT_RUNS });
    expect(rows.map((r) => [r.property, r.mode, r.expected, r.verdict])).toEqual(
      raceInvariants.map((i) => [i.name, 'scheduler', 'violated', 'violated']),
    );
    for (const r of rows) {
      expect(r.model).toBe('replication-close');
      expect(r.traceLength).toBe(r.replay!.schedule.length);
      expect(r.story!.length).toBeLessThanOrEqual(20);
      expect(r.note).toMatch(/^\d+ distinct interleavings exercised in \d+ runs; replay: seed 1, path "[\d:]+"/);
      expect(r.states).toBeGreaterThan(0);
      expect(r.depth).toBeGreaterThanOrEqual(r.traceLength!);
    }
  });

  test('fixed: every invariant holds over 500 runs', async () => {
    const rows = await runReplicationCloseCheck({ variant: 'fixed', seed: 7, runs: 500 });
    for (const r of rows) {
      expect(r).toMatchObject({ expected: 'holds', verdict: 'holds', states: 500, complete: false, traceLength: null });
      expect(r.story).toBeUndefined();
      expect(r.transitions).toBeGreaterThan(500);
      expect(r.note).toMatch(/^\d+ distinct interleavings exercised in 500 runs; no interleaving broke it$/);
    }
  });
});
