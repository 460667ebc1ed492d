import type { CheckResult, ExternalSuite } from '../../src/index.js';
import type { CloseVariant } from '../../models/replication-close/types.js';
import { CLOSE_VARIANTS } from '../../models/replication-close/designs.js';
import { raceInvariants, type RaceInvariant } from './invariants.js';
import { replaySchedule, scheduleKey, type ScheduleStep } from './schedule.js';
import { renderStory } from './story.js';
import { DEFAULT_RUNS, MAX_COMMANDS, MAX_LATENCY, MAX_ROUNDS, SESSIONS, searchRace, surveyVariant, type Counterexample } from './suite.js';
import { CLOSE_VARIANT_DECLARATIONS, expectedVerdict } from './variants.js';

export { renderStory, type StoryInput } from './story.js';
export { searchRace, surveyVariant, DEFAULT_RUNS, type SearchResult, type Counterexample, type Survey } from './suite.js';
export { replaySchedule, minimizeSchedule, scheduleKey, type ScheduleStep } from './schedule.js';
export { raceInvariants, type RaceInvariantName } from './invariants.js';
export { CLOSE_VARIANT_DECLARATIONS, expectedVerdict } from './variants.js';

/** A `CheckResult` row with the counterexample told as a story and its replay data. */
export type ReplicationCloseResult = CheckResult & {
  /** The minimal schedule as numbered lines, one screen (only when violated). */
  story?: string[];
  /** How to get the counterexample back: fast-check coordinates, and the minimal schedule that `replaySchedule` runs directly. */
  replay?: { seed: number; path: string; schedule: ScheduleStep[] };
};

const CONFIG = `${SESSIONS.length} sessions, up to ${MAX_COMMANDS} arrival commands (attempts of up to ${MAX_ROUNDS} open-copy-close rounds), calls up to ${MAX_LATENCY} steps slow`;

/** The story of a counterexample, from a replay of its minimal schedule. */
export async function storyOf(variant: CloseVariant, invariant: RaceInvariant, c: Counterexample): Promise<string[]> {
  const replay = await replaySchedule(variant, c.minimal);
  const violation = invariant.violation(replay.journal, replay.quiescent) ?? c.violation;
  return renderStory({ variant, invariant: invariant.name, journal: replay.journal, violation, replay: { seed: c.seed, path: c.path } });
}

/** The safeguards of a fixed variant whose path no run took: a verdict resting on them is vacuous. */
function untakenSafeguards(variant: CloseVariant, paths: ReadonlyMap<string, number>): string[] {
  return Object.entries(CLOSE_VARIANT_DECLARATIONS[variant].safeguards ?? {})
    .filter(([, s]) => !paths.has(s.path))
    .map(([name]) => name);
}

/**
 * The scheduler suite as check rows, one per invariant: fast-check chooses the
 * arrivals, how slow each awaited call is and the order in which the calls
 * return. One survey checks every invariant on every run; each invariant it
 * saw broken is searched again on its own, shrunk by fast-check and then to a
 * 1-minimal schedule.
 */
export async function runReplicationCloseCheck(options: { variant: CloseVariant; seed: number; runs: number }): Promise<ReplicationCloseResult[]> {
  const runs = options.runs || DEFAULT_RUNS;
  const survey = await surveyVariant(options.variant, options.seed, runs);
  const paths = [...survey.paths].map(([p, n]) => `${p} (${n} runs)`).join(', ') || 'none';
  const untaken = untakenSafeguards(options.variant, survey.paths);
  const rows: ReplicationCloseResult[] = [];
  for (const invariant of raceInvariants) {
    const r = survey.broken.has(invariant.name) ? await searchRace({ variant: options.variant, invariant: invariant.name, seed: options.seed, runs }) : undefined;
    const c = r?.counterexample;
    const stats = r?.stats ?? survey.stats;
    const explored = `${stats.interleavings} distinct interleavings exercised in ${stats.runs} runs`;
    const verdict = c ? 'violated' : untaken.length > 0 ? 'vacuous' : 'holds';
    const row: ReplicationCloseResult = {
      model: 'replication-close',
      variant: options.variant,
      config: CONFIG,
      property: invariant.name,
      kind: 'always',
      mode: 'scheduler',
      expected: expectedVerdict(options.variant, invariant.name),
      verdict,
      states: stats.runs,
      transitions: stats.tasksResolved,
      depth: stats.longestSchedule,
      // Random exploration of orderings: a pass is evidence, not proof.
      complete: false,
      traceLength: c ? c.minimal.length : null,
      seconds: r?.seconds ?? survey.seconds,
      seed: options.seed,
      runs: stats.runs,
      note: c
        ? `${explored}; replay: seed ${c.seed}, path "${c.path}"; minimal schedule: ${scheduleKey(c.minimal)}`
        : `${explored}; no interleaving broke it; fix paths taken: ${paths}${untaken.length ? `; never exercised: ${untaken.join(', ')}` : ''}`,
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

const variants: Record<string, { kind: ExternalSuite['variants'][string]['kind']; summary: string; passage?: ExternalSuite['variants'][string]['passage']; of?: string; remedy?: string }> =
  Object.fromEntries(CLOSE_VARIANTS.map((v) => [v, CLOSE_VARIANT_DECLARATIONS[v]]));

/** The suite as `npm run check` lists it, beside the models. */
export const replicationCloseSuite: ExternalSuite = {
  name: 'replication-close',
  summary: 'A node closing many replication sessions at once, as real async code, with fast-check choosing the arrivals, how slow each awaited call is and the order in which the calls return.',
  mode: 'scheduler',
  incident: '2011',
  variants,
  properties: raceInvariants.map((i) => i.name),
  run: (variant, options) => runReplicationCloseCheck({ variant: variant as CloseVariant, seed: options.seed, runs: options.runs }),
};
