import type { CheckResult } from '../../src/index.js';
import type { CloseVariant } from '../../models/replication-close/types.js';
import { raceInvariants, type RaceInvariant } from './invariants.js';
import { replaySchedule, scheduleKey, type ScheduleStep } from './schedule.js';
import { renderStory } from './story.js';
import { DEFAULT_RUNS, MAX_COMMANDS, SESSIONS, searchRace, type Counterexample } from './suite.js';

export { renderStory, type StoryInput } from './story.js';
export { searchRace, DEFAULT_RUNS, type SearchResult, type Counterexample } from './suite.js';
export { replaySchedule, minimizeSchedule, scheduleKey, type ScheduleStep } from './schedule.js';
export { raceInvariants, type RaceInvariantName } from './invariants.js';

/** A `CheckResult` row with the counterexample told as a story and its replay data. */
export type ReplicationCloseResult = CheckResult & {
  /** The minimal schedule as numbered lines, one screen (only when violated). */
  story?: string[];
  /** How to get the counterexample back: fast-check coordinates, and the minimal schedule that `replaySchedule` runs directly. */
  replay?: { seed: number; path: string; schedule: ScheduleStep[] };
};

const CONFIG = `${SESSIONS.length} sessions, up to ${MAX_COMMANDS} arrivals`;
const expectations: Record<CloseVariant, 'holds' | 'violated'> = { buggy: 'violated', fixed: 'holds' };

/** The story of a counterexample, from a replay of its minimal schedule. */
export async function storyOf(variant: CloseVariant, invariant: RaceInvariant, c: Counterexample): Promise<string[]> {
  const replay = await replaySchedule(variant, c.minimal);
  const violation = invariant.violation(replay.journal, replay.quiescent) ?? c.violation;
  return renderStory({ variant, invariant: invariant.name, journal: replay.journal, violation, replay: { seed: c.seed, path: c.path } });
}

/**
 * The scheduler suite as check rows, one per invariant: fast-check chooses the
 * arrivals and the order in which awaited calls return; a violation is shrunk
 * by fast-check and then to a 1-minimal schedule.
 */
export async function runReplicationCloseCheck(options: { variant: CloseVariant; seed: number; runs: number }): Promise<ReplicationCloseResult[]> {
  const rows: ReplicationCloseResult[] = [];
  for (const invariant of raceInvariants) {
    const r = await searchRace({ variant: options.variant, invariant: invariant.name, seed: options.seed, runs: options.runs || DEFAULT_RUNS });
    const c = r.counterexample;
    const explored = `${r.stats.interleavings} distinct interleavings exercised in ${r.stats.runs} runs`;
    const row: ReplicationCloseResult = {
      model: 'replication-close',
      variant: options.variant,
      config: CONFIG,
      property: invariant.name,
      kind: 'always',
      mode: 'scheduler',
      expected: expectations[options.variant],
      verdict: c ? 'violated' : 'holds',
      states: r.stats.runs,
      transitions: r.stats.tasksResolved,
      depth: r.stats.longestSchedule,
      // Random exploration of orderings: a pass is evidence, not proof.
      complete: false,
      traceLength: c ? c.minimal.length : null,
      seconds: r.seconds,
      seed: options.seed,
      runs: r.stats.runs,
      note: c
        ? `${explored}; replay: seed ${c.seed}, path "${c.path}"; minimal schedule: ${scheduleKey(c.minimal)}`
        : `${explored}; no interleaving broke it`,
    };
    if (c) {
      row.witness = { message: c.violation.message, processes: ['node'] };
      row.story = await storyOf(options.variant, invariant, c);
      row.replay = { seed: c.seed, path: c.path, schedule: c.minimal };
    }
    rows.push(row);
  }
  return rows;
}
