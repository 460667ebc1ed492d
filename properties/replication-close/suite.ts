import fc from 'fast-check';
import { createNodeHarness, type AsyncCalls, type NodeHarness } from '../../models/replication-close/harness.js';
import type { CloseVariant, JournalEntry, Op, SessionId } from '../../models/replication-close/types.js';
import { invariantNamed, type RaceInvariant, type RaceInvariantName, type Violation } from './invariants.js';
import { minimizeSchedule, scheduleKey, scheduleOf, violationIn, type ScheduleStep } from './schedule.js';

/** Few sessions, so that concurrent requests meet on the same one. */
export const SESSIONS: readonly SessionId[] = ['s1', 's2', 's3'];
export const DEFAULT_RUNS = 1000;
export const MAX_COMMANDS = 12;

interface Real {
  harness: NodeHarness;
  lastReq: number;
}
type Model = object;

/** Requests that arrive together, with no scheduler step between them (a burst of closes is one of these). */
class Arrive implements fc.AsyncCommand<Model, Real> {
  constructor(readonly requests: readonly { op: Op; session: SessionId }[]) {}
  check(): boolean {
    return true;
  }
  // Only starts the handlers: awaiting scheduled work inside a command hangs scheduledModelRun.
  async run(_model: Model, real: Real): Promise<void> {
    for (const r of this.requests) real.harness.send({ req: ++real.lastReq, ...r });
  }
  toString(): string {
    return this.requests.map((r) => `${r.op}(${r.session})`).join('+');
  }
}

const session = fc.constantFrom(...SESSIONS);
const single = (op: Op) => session.map((s) => new Arrive([{ op, session: s }]));
const commandArbitraries = [
  single('open'),
  single('progress'),
  single('close'),
  // A lost peer: the node closes all its sessions with that peer at once.
  fc.uniqueArray(session, { minLength: 2, maxLength: SESSIONS.length }).map((ss) => new Arrive(ss.map((s) => ({ op: 'close' as const, session: s })))),
];

/** Awaited calls as fast-check scheduled functions: the scheduler decides when each returns. Arguments stay small (strings, numbers). */
function scheduledCalls(s: fc.Scheduler): AsyncCalls {
  return {
    connect: s.scheduleFunction(async function connect(_session: string, _req: number, channel: number) {
      return channel;
    }),
    readChunk: s.scheduleFunction(async function readChunk(_session: string, offset: number, _req: number) {
      return offset;
    }),
    releaseReplica: s.scheduleFunction(async function releaseReplica(_session: string, _req: number) {}),
  };
}

/** Thrown by the property when a run breaks the invariant; carries the run's journal so the counterexample can be replayed and told. */
export class RaceFound extends Error {
  constructor(
    readonly violation: Violation,
    readonly journal: JournalEntry[],
  ) {
    super(`${violation.message} (step ${violation.step} of: ${scheduleKey(scheduleOf(journal))})`);
  }
}

export interface ExplorationStats {
  /** Property executions, shrinking included. */
  runs: number;
  /** Awaited calls that returned, over all runs. */
  tasksResolved: number;
  /** Steps in the longest schedule. */
  longestSchedule: number;
  /** Distinct schedules (arrival and return orders) among all runs. */
  interleavings: number;
}

export interface SearchOptions {
  variant: CloseVariant;
  invariant: RaceInvariantName;
  seed: number;
  runs?: number;
  /** Replay: the fast-check path of a reported counterexample. */
  path?: string;
}

export interface Counterexample {
  seed: number;
  path: string;
  /** The commands fast-check shrank to, as it prints them. */
  commands: string;
  /** Where the minimal schedule breaks the invariant. */
  violation: Violation;
  /** Where the shrunk run broke it, in that run's numbering. */
  found: Violation;
  /** The shrunk run's schedule up to the violating step. */
  schedule: ScheduleStep[];
  /** The same after delta debugging, requests renumbered. */
  minimal: ScheduleStep[];
}

export interface SearchResult {
  variant: CloseVariant;
  invariant: RaceInvariantName;
  seed: number;
  stats: ExplorationStats;
  counterexample?: Counterexample;
  seconds: number;
}

/** What the suite generates: a scheduler (the order awaited calls return in) and the arrivals. */
export function raceArbitraries() {
  return [fc.scheduler(), fc.commands(commandArbitraries, { maxCommands: MAX_COMMANDS })] as const;
}

/** Runs the arrivals against a fresh node until everything has settled, and returns the node's journal. */
export async function runArrivals(variant: CloseVariant, s: fc.Scheduler, commands: Iterable<fc.AsyncCommand<Model, Real>>): Promise<JournalEntry[]> {
  let harness: NodeHarness | undefined;
  const setup = () => {
    harness = createNodeHarness(variant, scheduledCalls(s));
    return { model: {}, real: { harness, lastReq: 0 } };
  };
  await fc.scheduledModelRun(s, setup, commands);
  return [...harness!.journal];
}

/** The property over one invariant, with a hook that sees every finished run. */
export function raceProperty(variant: CloseVariant, invariant: RaceInvariant, onRun: (journal: JournalEntry[]) => void) {
  return fc.asyncProperty(...raceArbitraries(), async (s, commands) => {
    const journal = await runArrivals(variant, s, commands);
    onRun(journal);
    const violation = invariant.violation(journal, true);
    if (violation !== undefined) throw new RaceFound(violation, journal);
  });
}

export function newStats(): ExplorationStats & { keys: Set<string>; record(journal: JournalEntry[]): void } {
  const keys = new Set<string>();
  return {
    runs: 0,
    tasksResolved: 0,
    longestSchedule: 0,
    keys,
    get interleavings() {
      return keys.size;
    },
    record(journal) {
      const steps = scheduleOf(journal);
      this.runs += 1;
      this.tasksResolved += steps.filter((st) => st.kind === 'return').length;
      this.longestSchedule = Math.max(this.longestSchedule, steps.length);
      keys.add(scheduleKey(steps));
    },
  };
}

/** Searches one variant for a break of one invariant, and shrinks what it finds to a 1-minimal schedule. */
export async function searchRace(options: SearchOptions): Promise<SearchResult> {
  const started = performance.now();
  const invariant = invariantNamed(options.invariant);
  const stats = newStats();
  const property = raceProperty(options.variant, invariant, (j) => stats.record(j));
  // Replay starts from the first failing run (the path's first segment) and lets fast-check shrink again:
  // the full path with endOnFailure does not give the shrunk run back, because clones of an fc.scheduler()
  // value share one random stream, so a shrunk run's ordering depends on the shrink attempts before it.
  const details = await fc.check(property, {
    seed: options.seed,
    numRuns: options.path === undefined ? (options.runs ?? DEFAULT_RUNS) : 1,
    ...(options.path === undefined ? {} : { path: options.path.split(':')[0] }),
  });
  const { runs, tasksResolved, longestSchedule, interleavings } = stats;
  const result: SearchResult = { variant: options.variant, invariant: options.invariant, seed: options.seed, stats: { runs, tasksResolved, longestSchedule, interleavings }, seconds: 0 };
  if (details.failed) {
    const error = details.errorInstance;
    if (!(error instanceof RaceFound)) throw error instanceof Error ? error : new Error(String(error));
    const schedule = scheduleOf(error.journal).slice(0, error.violation.step);
    const minimal = await minimizeSchedule(options.variant, invariant, schedule);
    const violation = await violationIn(options.variant, invariant, minimal);
    if (violation === undefined) throw new Error('the minimal schedule no longer breaks the invariant');
    const commands = String(details.counterexample?.[1] ?? '');
    result.counterexample = {
      seed: options.seed,
      path: details.counterexamplePath ?? '',
      commands: commands.replace(/\s*\/\*replayPath=.*\*\//, ''),
      violation,
      found: error.violation,
      schedule,
      minimal,
    };
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
