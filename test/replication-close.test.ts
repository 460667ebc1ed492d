import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CLOSE_VARIANTS } from '../models/replication-close/designs.js';
import type { CloseVariant } from '../models/replication-close/types.js';
import { invariantNamed, raceInvariants, type RaceInvariantName } from '../properties/replication-close/invariants.js';
import { COUNTEREXAMPLE_DIR, readCounterexample, type CounterexampleFile } from '../properties/replication-close/counterexample-file.js';
import {
  CLOSE_VARIANT_DECLARATIONS,
  DEFAULT_RUNS,
  renderStory,
  replaySchedule,
  replicationCloseSuite,
  runReplicationCloseCheck,
  searchRace,
  expectedVerdict,
  type SearchResult,
} from '../properties/replication-close/index.js';
import { violationIn, type ScheduleStep } from '../properties/replication-close/schedule.js';
import { raceProperty, surveyVariant } from '../properties/replication-close/suite.js';
import { FIX_PATHS } from '../properties/replication-close/coverage.js';

const without = (steps: readonly ScheduleStep[], i: number) => [...steps.slice(0, i), ...steps.slice(i + 1)];
const SEEDS = Array.from({ length: 30 }, (_, i) => i + 1);
/** Every (variant, invariant) the declarations say must break. */
const mustBreak = CLOSE_VARIANTS.flatMap((variant) => raceInvariants.filter((i) => expectedVerdict(variant, i.name) === 'violated').map((i) => ({ variant, invariant: i.name })));
const holding = (invariant: RaceInvariantName) => CLOSE_VARIANTS.filter((v) => expectedVerdict(v, invariant) === 'holds');

/** Both schedules of a found counterexample replay to the break, no step of the minimal one can go, and the variants meant to hold survive it. */
async function checkCounterexample(variant: CloseVariant, invariant: RaceInvariantName, r: SearchResult): Promise<void> {
  const c = r.counterexample!;
  const inv = invariantNamed(invariant);
  expect(await violationIn(variant, inv, c.schedule), 'the shrunk run, replayed step by step').toEqual(c.found);
  expect(await violationIn(variant, inv, c.minimal), 'the minimal schedule').toEqual(c.violation);
  for (let i = 0; i < c.minimal.length; i++) expect(await violationIn(variant, inv, without(c.minimal, i)), `minimal schedule without step ${i + 1}`).toBeUndefined();
  for (const other of holding(invariant)) expect(await violationIn(other, inv, c.minimal), `${other} on this schedule`).toBeUndefined();
}

describe('replication-close: every variant that must break is caught at the default run count, on every seed 1..30', () => {
  for (const { variant, invariant } of mustBreak) {
    test(`${variant} (${CLOSE_VARIANT_DECLARATIONS[variant].kind}): ${invariant}`, async () => {
      const missed: number[] = [];
      for (const seed of SEEDS) {
        // endOnFailure: the first failing run is enough here; shrinking is checked below.
        const d = await fc.check(raceProperty(variant, invariantNamed(invariant), () => {}), { seed, numRuns: DEFAULT_RUNS, endOnFailure: true });
        if (!d.failed) missed.push(seed);
      }
      expect(missed, 'seeds on which the search missed it').toEqual([]);
    });
  }
});

describe('replication-close: found races shrink to 1-minimal schedules that only the broken designs fail', () => {
  for (const { variant, invariant } of mustBreak) {
    test(`${variant}: ${invariant}, seeds 1..3`, async () => {
      for (const seed of [1, 2, 3]) {
        const r = await searchRace({ variant, invariant, seed });
        expect(r.counterexample, `seed ${seed}`).toBeDefined();
        await checkCounterexample(variant, invariant, r);
      }
    });
  }
});

describe('replication-close: the corpus in counterexamples/replication-close/', () => {
  const files = readdirSync(COUNTEREXAMPLE_DIR).filter((f) => f.endsWith('.json'));

  test('holds exactly one replay per (variant, invariant) that must break', () => {
    expect(files.sort()).toEqual(mustBreak.map(({ variant, invariant }) => `${variant}-${invariant}.json`).sort());
  });

  for (const f of files) {
    test(`${f}: replays without fast-check, is 1-minimal, spares the variants meant to hold, and is what the search finds today`, async () => {
      const file = JSON.parse(readFileSync(`${COUNTEREXAMPLE_DIR}${f}`, 'utf8')) as CounterexampleFile;
      const inv = invariantNamed(file.invariant);
      const replay = await replaySchedule(file.variant, file.schedule);
      const violation = inv.violation(replay.journal, replay.quiescent);
      expect(violation).toEqual(file.violation);
      expect(renderStory({ variant: file.variant, invariant: file.invariant, journal: replay.journal, violation: violation!, replay: { seed: file.seed, path: file.path } })).toEqual(file.story);
      for (let i = 0; i < file.schedule.length; i++) expect(await violationIn(file.variant, inv, without(file.schedule, i)), `without step ${i + 1}`).toBeUndefined();
      for (const other of holding(file.invariant)) expect(await violationIn(other, inv, file.schedule), other).toBeUndefined();
      const fresh = await searchRace({ variant: file.variant, invariant: file.invariant, seed: file.seed });
      expect(fresh.counterexample).toMatchObject({ path: file.path, minimal: file.schedule });
    });
  }

  test('seed, path and replayPath run the shrunk run itself, once', async () => {
    for (const [variant, invariant] of [['buggy', 'node-never-crashes'], ['fixed-copy-recheck-by-id', 'no-write-after-close']] as const) {
      const file = readCounterexample(variant, invariant);
      const search = await searchRace({ variant, invariant, seed: file.seed });
      const r = await searchRace({ variant, invariant, seed: file.seed, path: file.path, replayPath: file.replayPath });
      expect(r.counterexample).toMatchObject({ path: file.path, replayPath: file.replayPath, minimal: file.schedule, violation: file.violation });
      // The same shrunk run: same commands and the same schedule up to the break, with no search and no shrinking around it.
      expect(r.counterexample!.commands).toBe(search.counterexample!.commands);
      expect(r.counterexample!.schedule).toEqual(search.counterexample!.schedule);
      expect(r.stats.runs).toBe(1);
    }
  });

  test('seed and path without replayPath start from the first failing run and shrink to the same counterexample', async () => {
    const file = readCounterexample('buggy', 'node-never-crashes');
    const firstFailure = Number(file.path.split(':')[0]);
    const r = await searchRace({ variant: 'buggy', invariant: 'node-never-crashes', seed: file.seed, path: file.path });
    expect(r.counterexample).toMatchObject({ path: file.path, replayPath: file.replayPath, minimal: file.schedule, violation: file.violation });
    // The runs before the first failure are skipped; what remains is that run and fast-check's shrinking.
    const search = await searchRace({ variant: 'buggy', invariant: 'node-never-crashes', seed: file.seed });
    expect(r.stats.runs).toBe(search.stats.runs - firstFailure);
  });

  test('the story of the 2011 race names the two closes that collided, on one screen', () => {
    const story = readCounterexample('buggy', 'node-never-crashes').story;
    expect(story.length).toBeLessThanOrEqual(20);
    expect(story.slice(2)).toMatchInlineSnapshot(`
      [
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

describe('replication-close: what the default search exercises', () => {
  test('the fixed node takes every path its safeguards add, with slow calls and hundreds of distinct interleavings', async () => {
    const survey = await surveyVariant('fixed', 1, DEFAULT_RUNS);
    expect([...survey.paths.keys()].sort()).toEqual([...FIX_PATHS].sort());
    for (const n of survey.paths.values()) expect(n).toBeGreaterThan(10);
    expect(survey.slowCalls).toBeGreaterThan(DEFAULT_RUNS);
    expect(survey.stats.interleavings).toBeGreaterThan(DEFAULT_RUNS / 2);
    expect(survey.broken.size).toBe(0);
  });

  test('the coverage tells a close that waited for the teardown from one that answered at once', async () => {
    const survey = await surveyVariant('fixed-without-answer-after-teardown', 1, 200);
    expect(survey.paths.has('close joins the teardown under way')).toBe(true);
    expect(survey.paths.has('joined close answers after the teardown')).toBe(false);
  });
});

describe('replication-close: the suite as npm run check lists it', () => {
  const postmortem = readFileSync(new URL('../../shared/domain/aws-2011-ebs-rds-postmortem.md', import.meta.url), 'utf8');

  test('every variant carries its kind; fixes cite their passage verbatim; ablations and failed fixes name the fix', () => {
    for (const v of CLOSE_VARIANTS) {
      const declared = replicationCloseSuite.variants[v]!;
      expect(declared.kind, v).toBeDefined();
      const d = CLOSE_VARIANT_DECLARATIONS[v];
      if (d.kind === 'as-it-happened' || d.kind === 'fixed') expect(postmortem, v).toContain(d.passage!.quote);
      if (d.kind === 'ablation' || d.kind === 'failed-fix') expect(d.of, v).toBe('fixed');
      if (d.kind !== 'fixed') expect(d.breaks.length, `${v} must break something`).toBeGreaterThan(0);
    }
    for (const i of raceInvariants) expect(postmortem, i.name).toContain(i.guards.quote);
    const safeguards = Object.values(CLOSE_VARIANT_DECLARATIONS.fixed.safeguards!);
    // Every ablation removes a declared safeguard; a safeguard the checker found has the failed first fix as its ablation.
    for (const v of CLOSE_VARIANTS.filter((v) => CLOSE_VARIANT_DECLARATIONS[v].kind === 'ablation')) expect(safeguards.map((s) => s.ablation), v).toContain(v);
    for (const s of safeguards) expect(['ablation', 'failed-fix'], s.ablation).toContain(CLOSE_VARIANT_DECLARATIONS[s.ablation].kind);
  });

  test(`all variants at seed 1, ${DEFAULT_RUNS} runs: every verdict as declared`, async () => {
    for (const variant of CLOSE_VARIANTS) {
      const rows = await runReplicationCloseCheck({ variant, seed: 1, runs: DEFAULT_RUNS });
      expect(rows.map((r) => [r.property, r.verdict])).toEqual(raceInvariants.map((i) => [i.name, expectedVerdict(variant, i.name)]));
      for (const r of rows) {
        expect(r).toMatchObject({ model: 'replication-close', variant, mode: 'scheduler', complete: false });
        if (r.verdict === 'violated') {
          expect(r.traceLength).toBe(r.replay!.schedule.length);
          expect(r.story!.length).toBeLessThanOrEqual(20);
          expect(r.depth).toBeGreaterThanOrEqual(r.traceLength!);
        } else {
          expect(r).toMatchObject({ states: DEFAULT_RUNS, traceLength: null });
          expect(r.story).toBeUndefined();
        }
      }
    }
  });
});
