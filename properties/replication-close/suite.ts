import fc from 'fast-check';
import { createNodeHarness, type AsyncCalls, type NodeHarness } from '../../models/replication-close/harness.js';
import { settle } from '../../models/replication-close/manual-calls.js';
import type { CloseVariant, JournalEntry, Op, SessionId } from '../../models/replication-close/types.js';
import { invariantNamed, raceInvariants, type RaceInvariant, type RaceInvariantName, type Violation } from './invariants.js';
import { fixPathsTaken } from './coverage.js';
import type { FixPath } from './variants.js';
import { minimizeSchedule, scheduleKey, scheduleOf, violationIn, type ScheduleStep } from './schedule.js';

/** Few sessions, so that concurrent requests meet on the same one. */
export const SESSIONS: readonly SessionId[] = ['s1', 's2', 's3'];
export const DEFAULT_RUNS = 1000;
export const MAX_COMMANDS = 12;
/** At most this many extra scheduler steps before an awaited call can return (see `scheduledCalls`). */
export const MAX_LATENCY = 4;
/** A storm retries: an attempt on a session is open, copy, close, up to this many times over. */
export const MAX_ROUNDS = 2;

interface Real {
  harness: NodeHarness;
  lastReq: number;
  scheduler: fc.Scheduler;
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

/**
 * One re-mirroring attempt on a session, from the node's replication driver:
 * open, copy, close, each request sent at a later point that the scheduler
 * chooses (so arrivals of one attempt interleave with everything else). In a
 * storm the same session is attempted again and again.
 */
class Attempt implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly session: SessionId,
    readonly ops: readonly Op[],
  ) {}
  check(): boolean {
    return true;
  }
  async run(_model: Model, real: Real): Promise<void> {
    const send = (op: Op) => real.harness.send({ req: ++real.lastReq, op, session: this.session });
    const [first, ...rest] = this.ops;
    send(first!);
    let previous = Promise.resolve();
    // Each later request is its own scheduled step, after the one before it; nothing here is awaited.
    for (const op of rest) previous = previous.then(() => real.scheduler.schedule(Promise.resolve(), `${op}(${this.session})`)).then(() => send(op));
  }
  toString(): string {
    return `attempt(${this.session}: ${this.ops.join(',')})`;
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
  fc
    .tuple(session, fc.integer({ min: 1, max: MAX_ROUNDS }))
    .map(([s, rounds]) => new Attempt(s, Array.from({ length: rounds }, () => ['open', 'progress', 'close'] as const).flat())),
];

/**
 * Awaited calls as fast-check scheduled functions: the scheduler decides when each returns. Arguments stay small (strings, numbers).
 * `latency(req)` extra scheduler steps pass before the call of request `req` can return: a slow disk, network or
 * control plane, so that other handlers run while this one waits at its await.
 */
function scheduledCalls(s: fc.Scheduler, latency: (req: number) => number): AsyncCalls {
  const connect = s.scheduleFunction(async function connect(_session: string, _req: number, channel: number) {
    return channel;
  });
  const readChunk = s.scheduleFunction(async function readChunk(_session: string, offset: number, _req: number) {
    return offset;
  });
  const releaseReplica = s.scheduleFunction(async function releaseReplica(_session: string, _req: number) {});
  const slow = async (req: number) => {
    for (let i = 0; i < latency(req); i++) await s.schedule(Promise.resolve(), `wait>${req}`);
  };
  return {
    connect: async (session, req, channel) => (await slow(req), connect(session, req, channel)),
    readChunk: async (session, offset, req) => (await slow(req), readChunk(session, offset, req)),
    releaseReplica: async (session, req) => (await slow(req), releaseReplica(session, req)),
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
  /** With `path`: the replayPath fast-check printed for the shrunk commands; the replay is then that run exactly. */
  replayPath?: string;
}

export interface Counterexample {
  seed: number;
  path: string;
  /** fc.commands' own replay data for the shrunk run (fast-check prints it in the commands as replayPath). */
  replayPath: string;
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

/** Extra scheduler steps before the awaited call of request n (index n - 1) can return; requests past the end have none. */
const latencies = fc.array(fc.nat({ max: MAX_LATENCY }), { maxLength: MAX_ROUNDS * 3 * MAX_COMMANDS });

/** What the suite generates: a scheduler (the order awaited calls return in), the arrivals, and how slow each request's call is. */
export function raceArbitraries(replayPath?: string) {
  return [fc.scheduler(), fc.commands(commandArbitraries, { maxCommands: MAX_COMMANDS, ...(replayPath === undefined ? {} : { replayPath }) }), latencies] as const;
}

/** Runs the arrivals against a fresh node until everything has settled, and returns the node's journal. */
export async function runArrivals(variant: CloseVariant, s: fc.Scheduler, commands: Iterable<fc.AsyncCommand<Model, Real>>, latency: readonly number[] = []): Promise<JournalEntry[]> {
  let harness: NodeHarness | undefined;
  const setup = () => {
    harness = createNodeHarness(variant, scheduledCalls(s, (req) => latency[req - 1] ?? 0));
    return { model: {}, real: { harness, lastReq: 0, scheduler: s } };
  };
  await fc.scheduledModelRun(s, setup, commands);
  // An attempt's later requests are scheduled from promise callbacks, which may run after scheduledModelRun's
  // last look at the queue: let them run, and drain what they schedule, until nothing is left.
  for (;;) {
    await settle();
    if (s.count() === 0) break;
    await s.waitIdle();
  }
  return [...harness!.journal];
}

/** The property over one invariant, with a hook that sees every finished run. */
export function raceProperty(variant: CloseVariant, invariant: RaceInvariant, onRun: (journal: JournalEntry[]) => void, replayPath?: string) {
  return fc.asyncProperty(...raceArbitraries(replayPath), async (s, commands, latency) => {
    const journal = await runArrivals(variant, s, commands, latency);
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

/** Where fc.commands prints its replay data in a counterexample. */
export const REPLAY_PATH = /\/\*replayPath="(.*)"\*\//;

/** Searches one variant for a break of one invariant, and shrinks what it finds to a 1-minimal schedule. */
export async function searchRace(options: SearchOptions): Promise<SearchResult> {
  const started = performance.now();
  const invariant = invariantNamed(options.invariant);
  const stats = newStats();
  const property = raceProperty(options.variant, invariant, (j) => stats.record(j), options.replayPath);
  // Replay with {seed, path, replayPath} runs the shrunk run itself, once: on fast-check 4.11 it gave the
  // shrunk run back in 200 of 200 cases (scripts/measure-scheduler-replay.ts; test/replication-close-replay.test.ts).
  // The full path alone cannot: fc.commands shrinks only the commands that ran, so without replayPath
  // fast-check cannot walk the path (164 of 200) or walks it to another run (36 of 200). Coordinates
  // without replayPath (a story's replay line) start from the first failing run, the path's first
  // segment, and shrink again, which finds the same counterexample.
  const details = await fc.check(
    property,
    options.path === undefined
      ? { seed: options.seed, numRuns: options.runs ?? DEFAULT_RUNS }
      : options.replayPath === undefined
        ? { seed: options.seed, numRuns: 1, path: options.path.split(':')[0] }
        : { seed: options.seed, path: options.path, endOnFailure: true },
  );
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
      replayPath: REPLAY_PATH.exec(commands)?.[1] ?? '',
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

export interface Survey {
  stats: ExplorationStats;
  /** For each invariant some run broke, the first such run (1-based). */
  broken: Map<RaceInvariantName, number>;
  /** Runs that took each path of the fix. */
  paths: Map<FixPath, number>;
  /** Awaited calls that were made slow (returned only after other steps had their turn), over all runs. */
  slowCalls: number;
  seconds: number;
}

/**
 * One pass of `runs` runs over a variant, every invariant checked on every run,
 * nothing shrunk. The runs are those `searchRace` makes with the same seed (the
 * same arbitraries), so an invariant no run broke here holds in that search
 * too, and one that broke is found there at the same run.
 */
export async function surveyVariant(variant: CloseVariant, seed: number, runs: number): Promise<Survey> {
  const started = performance.now();
  const stats = newStats();
  const broken = new Map<RaceInvariantName, number>();
  const paths = new Map<FixPath, number>();
  let slowCalls = 0;
  const property = fc.asyncProperty(...raceArbitraries(), async (s, commands, latency) => {
    const journal = await runArrivals(variant, s, commands, latency);
    stats.record(journal);
    slowCalls += journal.filter((e) => e.kind === 'call' && (latency[e.req - 1] ?? 0) > 0).length;
    for (const invariant of raceInvariants) if (!broken.has(invariant.name) && invariant.violation(journal, true)) broken.set(invariant.name, stats.runs);
    for (const path of fixPathsTaken(journal)) paths.set(path, (paths.get(path) ?? 0) + 1);
  });
  await fc.check(property, { seed, numRuns: runs });
  const { tasksResolved, longestSchedule, interleavings } = stats;
  return { stats: { runs: stats.runs, tasksResolved, longestSchedule, interleavings }, broken, paths, slowCalls, seconds: (performance.now() - started) / 1000 };
}
