import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { breadthFirst, FINGERPRINTS_KEEP_NO_EDGES, type BfsProgress, type BfsResult } from '../engine/bfs.js';
import type { WorldAction } from '../world/actions.js';
import type { World } from '../world/world.js';
import { parallelBreadthFirst } from './parallel/parallel-bfs.js';
import { checkLiveness } from './liveness.js';
import { coverageOf, markVacuous, type Coverage } from './coverage.js';
import type { Witness } from '../spec/property.js';
import { describeError, ModelStepError, PROPERTY_PROCESS } from '../world/errors.js';
import { evaluate, rowIdentity, stateChecks, type ModelInstance } from './instance.js';
import { concretePath, SymmetricSystem } from '../world/symmetric-system.js';
import type { ActionDescriptor } from '../world/actions.js';
import type { CheckResult } from './result.js';
import { traceFrom } from './trace.js';

export interface ExhaustiveOptions {
  maxStates?: number;
  maxDepth?: number;
  /** Stop, reporting `bounded`, before the heap grows past this many megabytes. */
  maxMemoryMb?: number;
  onProgress?: (progress: BfsProgress & { seconds: number }) => void;
  /**
   * Explore one state per orbit of the processes the model declares
   * interchangeable (`WorldSpec.symmetry`). Counts then are of orbits; traces
   * are turned back into steps the plain world replays. Off by default, and
   * off whenever a liveness property is checked (results say so).
   */
  symmetry?: boolean;
  /**
   * Keep 64-bit fingerprints of the states instead of the states (for large
   * safety runs; traces are replayed from the root). Rows then say the
   * probability that a fingerprint collision hid a state. Liveness refuses it.
   */
  fingerprints?: boolean;
}

/**
 * Explores every reachable state of one model instance breadth-first and turns
 * the findings into one result per property: a violation with its shortest
 * trace, a proof that it holds (only when the search was complete), or a plain
 * "no violation within N states" when a bound stopped it.
 */
export function checkExhaustive(instance: ModelInstance, options: ExhaustiveOptions = {}): CheckResult[] {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const liveness = instance.properties.some((p) => p.kind === 'eventually');
  if (liveness && options.fingerprints) throw new Error(FINGERPRINTS_KEEP_NO_EDGES);
  const reducer = options.symmetry ? instance.world.symmetry : undefined;
  const reduced = reducer !== undefined && !liveness;
  const symmetryNote = reducer === undefined ? undefined : reduced ? `symmetry reduction: one state per orbit of ${describeGroups(instance)}` : 'symmetry reduction off: liveness properties need the full graph';
  const system = reduced ? new SymmetricSystem(instance.world, reducer) : instance.world;
  const guardMb = options.maxMemoryMb ?? defaultMemoryLimitMb();
  const byDefault = options.maxMemoryMb === undefined;
  const MB = 1024 * 1024;
  const bfs = breadthFirst(system, stateChecks(instance), {
    maxStates: options.maxStates,
    maxDepth: options.maxDepth,
    exhaustAll: liveness,
    recordEdges: liveness,
    fingerprints: options.fingerprints,
    // Without a limit of the user's, a guard below the heap limit turns an out-of-memory crash into `bounded`.
    stopWhen: memoryGuard(guardMb, byDefault),
    // Under the default guard, a queue too wide for memory spills to disk, and exact states too many for it become fingerprints (a bound the user set stops the search instead).
    queueMemoryBytes: byDefault ? QUEUE_SHARE * fingerprintArraysMb(guardMb) * MB : undefined,
    switchToFingerprints: byDefault ? () => heldBytes() >= EXACT_SHARE * guardMb * MB : undefined,
    onProgress: options.onProgress && ((p) => options.onProgress!({ ...p, seconds: seconds() })),
  });
  const elapsed = seconds();
  if (reduced) reducer.closeFiredFaults();
  const switchNote =
    bfs.switchedToFingerprints === undefined
      ? undefined
      : `switched to fingerprint mode after ${bfs.switchedToFingerprints.toLocaleString('en-US')} states: the exact search outgrew ${Math.round(EXACT_SHARE * 100)}% of the memory guard (${guardMb} MB)`;
  const spillNote = bfs.spilledQueueChunks === undefined ? undefined : `the queue outgrew ${Math.round(QUEUE_SHARE * 100)}% of the memory guard and spilled ${bfs.spilledQueueChunks} chunks to disk`;
  const notes = [symmetryNote, switchNote, spillNote, bfs.fingerprints && fingerprintNote(bfs.states, bfs.fingerprints)].filter((n): n is string => !!n);
  return rowsFromSearch(instance, bfs, { elapsed, reducer: reduced ? reducer : undefined, searchNote: notes.length ? notes.join('; ') : undefined, coverage: coverageOf(instance.world) });
}

/**
 * The exhaustive check on worker threads: the same rows, byte for byte, as
 * `checkExhaustive` (only `seconds` differs). Liveness (which needs the edges),
 * symmetry, fingerprint mode and the memory guard are sequential only; with any of them this
 * falls back to `checkExhaustive`.
 */
export async function checkExhaustiveParallel(instance: ModelInstance, options: ExhaustiveOptions & { workers: number }): Promise<CheckResult[]> {
  const liveness = instance.properties.some((p) => p.kind === 'eventually');
  if (liveness || options.symmetry || options.maxMemoryMb || options.fingerprints) return checkExhaustive(instance, options);
  const started = performance.now();
  const bfs = await parallelBreadthFirst(instance.model.name, instance.variant, instance.config, {
    workers: options.workers,
    checks: instance.properties.map((p) => p.name),
    maxStates: options.maxStates,
    maxDepth: options.maxDepth,
    coverage: true,
  });
  const elapsed = (performance.now() - started) / 1000;
  return rowsFromSearch({ ...bfs.instance, properties: instance.properties }, bfs, { elapsed, coverage: bfs.coverage! });
}

interface SearchContext {
  elapsed: number;
  reducer?: NonNullable<World['symmetry']>;
  /** Said on every row: how the search reduced or stored the states. */
  searchNote?: string;
  coverage: Coverage;
}

/** One result row per property from a finished search. */
function rowsFromSearch(instance: ModelInstance, bfs: BfsResult<string, WorldAction>, context: SearchContext): CheckResult[] {
  const { elapsed, reducer, searchNote, coverage } = context;
  const reduced = reducer !== undefined;
  const failureNote = bfs.failure ? describeFailure(instance, bfs.failure, bfs.pathTo(Math.max(bfs.failure.stateIndex, 0)).length) : undefined;

  const rows = instance.properties.map((property): CheckResult => {
    const base = {
      ...rowIdentity(instance, property, 'exhaustive' as const),
      states: bfs.states,
      transitions: bfs.transitions,
      depth: bfs.depth,
      complete: bfs.complete,
      traceLength: null,
      seconds: elapsed,
    };
    if (property.kind === 'eventually') {
      if (failureNote) return { ...base, verdict: 'error', note: failureNote };
      if (!bfs.complete) return { ...base, verdict: 'bounded', note: `liveness needs the whole graph; ${bfs.stopped ?? 'the search stopped at a bound'} after ${bfs.states} states` };
      return { ...base, ...checkLiveness(instance, property, bfs) };
    }
    const finding = bfs.findings.get(property.name);
    if (finding) {
      let trace: ActionDescriptor[];
      let witness = finding.witness as Witness | undefined;
      if (reduced) {
        // The path runs through representatives: replay it as concrete steps and show the concrete end state's witness.
        const concrete = concretePath(instance.world, reducer!, bfs.pathTo(finding.stateIndex), bfs.stateAt(bfs.rootOf(finding.stateIndex)));
        const end = concrete.states[concrete.states.length - 1]!;
        trace = concrete.actions.map((a) => a.descriptor);
        witness = evaluate(property, instance.world, end);
        if (!witness) {
          return { ...base, verdict: 'error', note: `symmetry: ${property.name} does not treat the members of ${describeGroups(instance)} alike; check without symmetry` };
        }
      } else {
        trace = traceFrom(instance.world, bfs.stateAt(bfs.rootOf(finding.stateIndex)), bfs.pathTo(finding.stateIndex));
      }
      const found = {
        ...base,
        states: finding.statesSoFar,
        transitions: finding.transitionsSoFar,
        depth: finding.depth,
        traceLength: trace.length,
        trace,
        witness,
      };
      return property.kind === 'sometimes' ? { ...found, verdict: 'holds', note: `reached in ${trace.length} steps` } : { ...found, verdict: 'violated' };
    }
    if (failureNote) return { ...base, verdict: 'error', note: failureNote };
    if (!bfs.complete) {
      const why = bfs.stopped ?? 'the search stopped at a bound';
      return { ...base, verdict: 'bounded', note: property.kind === 'sometimes' ? `not reached within ${bfs.states} states (${why})` : `no violation within ${bfs.states} states (${why})` };
    }
    return property.kind === 'sometimes'
      ? { ...base, verdict: 'violated', note: `never reached in all ${bfs.states} reachable states` }
      : { ...base, verdict: 'holds' };
  });
  const noted = searchNote === undefined ? rows : rows.map((r) => ({ ...r, note: r.note ? `${r.note}; ${searchNote}` : searchNote }));
  return markVacuous(noted, coverage, instance.model.variants[instance.variant]).map((r) => ({ ...r, coverage }));
}

/**
 * What fingerprint mode costs in certainty and saves in memory: TLC's
 * "calculated (optimistic)" probability that two states shared a fingerprint,
 * n(g - n)/2^64 over the n distinct and g generated states.
 */
function fingerprintNote(states: number, store: { collisionProbability: number; bytes: number }): string {
  const bytes = states > 0 ? ` (${Math.round(store.bytes / states)} bytes a state in its arrays)` : '';
  return `fingerprint mode${bytes}: probability that a fingerprint collision hid a state ${store.collisionProbability.toPrecision(2)} (TLC's optimistic estimate)`;
}

function describeGroups(instance: ModelInstance): string {
  const names = instance.world.processNames;
  return (instance.world.symmetry?.groups ?? []).map((group) => `{${group.map((p) => names[p]).join(', ')}}`).join(' and ');
}

function describeFailure(instance: ModelInstance, failure: { stateIndex: number; actionIndex: number; error: unknown }, depth: number): string {
  const where = `${instance.model.name}/${instance.variant}`;
  const step = failure.actionIndex >= 0 ? `step ${depth + 1}` : failure.stateIndex >= 0 ? `after step ${depth}` : 'the initial state';
  if (failure.error instanceof ModelStepError && failure.error.process === PROPERTY_PROCESS) {
    return `${where}: ${step}, property ${failure.error.event} threw: ${failure.error.detail}`;
  }
  if (failure.error instanceof ModelStepError) {
    return `${where}: at ${step}, process ${failure.error.process} threw on ${failure.error.event}: ${failure.error.detail}`;
  }
  return `${where}: at ${step}: ${describeError(failure.error)}`;
}

/**
 * Stops the search before the memory it holds passes the limit: the heap and
 * the typed arrays where the packed stores keep states, both counted. They
 * grow about linearly with the states stored, so the bytes per state measured
 * so far tell how many more states fit; the message says what a complete run
 * needs.
 *
 * In fingerprint mode, the mode for runs too large to keep, the default guard
 * holds the heap to its share of V8's limit but lets the typed arrays (the
 * fingerprint table, the parents and the queue, which V8's limit does not
 * bound) fill half of this machine's memory. Much of it is the queue, whose
 * widest level is not known in advance: the message names twice the present room.
 */
function memoryGuard(maxMb: number, byDefault: boolean) {
  const MB = 1024 * 1024;
  const inUse = () => {
    const m = process.memoryUsage();
    return { heap: m.heapUsed, all: m.heapUsed + m.arrayBuffers };
  };
  const machineMb = Math.floor((totalmem() * DEFAULT_MACHINE_SHARE) / MB);
  const baseline = inUse().all;
  return ({ states, queue, fingerprinted }: BfsProgress): string | undefined => {
    const fingerprints = fingerprinted === true;
    const arraysRoom = byDefault && fingerprints;
    const used = inUse();
    const heapFull = used.heap >= maxMb * MB;
    const allFull = used.all >= (arraysRoom ? Math.max(maxMb, machineMb) : maxMb) * MB;
    if (!(arraysRoom ? heapFull || allFull : allFull)) return undefined;
    const byMachine = arraysRoom && !heapFull;
    const perState = Math.max(1, (used.all - baseline) / states);
    const bound = byMachine
      ? `stopped by the memory guard at ${machineMb} MB (${Math.round(DEFAULT_MACHINE_SHARE * 100)}% of this machine's memory, which the fingerprint arrays may fill; raise it with --max-memory MB)`
      : byDefault
        ? `stopped by the memory guard at ${maxMb} MB (${Math.round(DEFAULT_HEAP_SHARE * 100)}% of this process's heap limit; raise it with --max-memory MB and NODE_OPTIONS=--max-old-space-size=MB)`
        : `stopped at --max-memory ${maxMb} MB`;
    const count = (n: number) => n.toLocaleString('en-US');
    // What to raise: the heap limit the default guard is a share of, or the user's own bound.
    const raise = (bytes: number) =>
      byDefault && !byMachine ? `NODE_OPTIONS=--max-old-space-size=${Math.ceil(bytes / DEFAULT_HEAP_SHARE / MB)}` : `--max-memory ${Math.ceil(bytes / MB)}`;
    if (fingerprints) {
      // The default heap guard is raised through the heap limit; the others bound everything held.
      const heapOnly = byDefault && !byMachine;
      const full = heapOnly ? 'the queue filling the heap' : 'the fingerprint arrays and the queue filling it';
      const held = heapOnly ? used.heap : used.all;
      return `${bound}: ${count(states)} states fingerprinted, ${count(queue)} still queued, ${full}; try twice the room: ${raise(2 * held)}`;
    }
    const needed = used.all + queue * perState;
    return `${bound}: ${count(states)} states at ~${Math.round(perState)} bytes each, ${count(queue)} still queued; a complete run needs more than ${Math.ceil(needed / MB)} MB (${raise(needed)}), or try --fingerprints`;
  };
}

/** The share of this machine's memory the typed arrays of a fingerprint-mode search may fill under the default guard. */
const DEFAULT_MACHINE_SHARE = 0.5;

/** What the typed arrays of a fingerprint-mode search may fill under the default guard, in MB. */
function fingerprintArraysMb(heapGuardMb: number): number {
  return Math.max(heapGuardMb, Math.floor((totalmem() * DEFAULT_MACHINE_SHARE) / 1024 / 1024));
}

/** The share of the fingerprint arrays' room the queue may fill in memory before it spills to disk: most of the room is the fingerprint table's. */
const QUEUE_SHARE = 0.25;

/** What the guard counts: the heap and the typed arrays outside it. */
function heldBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** The share of the memory guard an exact search may fill before it goes on in fingerprint mode (whose arrays, made from its store, need room too). */
const EXACT_SHARE = 0.5;

/** The share of V8's heap limit a search may fill before it stops: the states array doubles as it grows, and the rows and traces need room. */
const DEFAULT_HEAP_SHARE = 0.5;

/** The default memory bound: a share of the heap limit V8 enforces on this process (`--max-old-space-size`). */
export function defaultMemoryLimitMb(): number {
  return Math.floor((getHeapStatistics().heap_size_limit * DEFAULT_HEAP_SHARE) / 1024 / 1024);
}
