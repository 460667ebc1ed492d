import type { TransitionSystem } from './transition-system.js';
import { collisionProbability, ExactStore, FingerprintStore, type VisitedStore } from './visited-store.js';
import { PathReplay } from './path-replay.js';
import type { MaybePacked, PackedTest } from './packed.js';
import { packedBreadthFirst } from './packed-bfs.js';

/** A condition checked on every state the search discovers (`testPacked`: see `PackedTest`). */
export interface StateCheck<S, A> extends PackedTest {
  readonly name: string;
  /**
   * `always`: a state where `test` returns a witness is a counterexample.
   * `sometimes`: a state where `test` returns a witness is the example sought.
   * `deadlock`: checked when a state is expanded, with its enabled actions.
   */
  readonly kind: 'always' | 'sometimes' | 'deadlock';
  test(state: S, actions?: readonly A[]): unknown;
}

export interface Finding {
  readonly check: string;
  readonly stateIndex: number;
  readonly depth: number;
  /** What `test` returned: the witness. */
  readonly witness: unknown;
  /** Search totals when this was found: a violation's row reports the work it took. */
  readonly statesSoFar: number;
  readonly transitionsSoFar: number;
}

export interface BfsProgress {
  states: number;
  transitions: number;
  queue: number;
  depth: number;
  /** True once the search keeps fingerprints only (asked for, or switched to). */
  fingerprinted?: boolean;
}

export interface BfsOptions {
  maxStates?: number;
  maxDepth?: number;
  /** Keep searching after every check has its finding (to count the whole space). */
  exhaustAll?: boolean;
  /** Keep every explored edge, for liveness analysis afterwards (memory grows with transitions). */
  recordEdges?: boolean;
  onProgress?: (progress: BfsProgress) => void;
  progressEvery?: number;
  /** Asked every few thousand states; a reason returned stops the search (it is then incomplete). */
  stopWhen?: (progress: BfsProgress) => string | undefined;
  /** Use the plain interface even when the system offers a packed one (to compare them). */
  unpacked?: boolean;
  /**
   * Keep only 64-bit fingerprints of the states, their parents and action
   * indices, not the states (for large safety runs: about a quarter of the
   * memory). `stateAt` and `pathTo` then replay actions from the root. Not
   * with `recordEdges`.
   */
  fingerprints?: boolean;
  /**
   * Packed search in fingerprint mode: bytes of queued vectors kept in memory;
   * past them the queue spills to a scratch file (unbounded by default).
   */
  queueMemoryBytes?: number;
  /**
   * Exact mode: asked every `SWITCH_EVERY` expanded states (and before the
   * first); once it answers true, the search goes on in fingerprint mode (the
   * states found so far become fingerprints; the result's
   * `switchedToFingerprints` says when). For a search outgrowing memory. Not
   * with `recordEdges`.
   */
  switchToFingerprints?: (progress: BfsProgress) => boolean;
}

export interface BfsFailure {
  readonly stateIndex: number;
  readonly actionIndex: number;
  readonly error: unknown;
}

export interface BfsResult<S, A> {
  states: number;
  transitions: number;
  /** The greatest depth reached: the diameter when the search is complete. */
  depth: number;
  /** True when every reachable state was explored: only then can "holds" be claimed. */
  complete: boolean;
  /** Why the search stopped early, when `stopWhen` stopped it. */
  stopped?: string;
  findings: Map<string, Finding>;
  failure?: BfsFailure;
  /** The actions from an initial state to the state with this index: a shortest such path. */
  pathTo(stateIndex: number): A[];
  /** The index of the initial state the path to this state starts from. */
  rootOf(stateIndex: number): number;
  stateAt(stateIndex: number): S;
  /** The explored edges, when `recordEdges` was asked for: successor indices and their actions, per state. */
  edges?: { successors(stateIndex: number): readonly number[]; labels(stateIndex: number): readonly A[] };
  /** In fingerprint mode: TLC's optimistic estimate that a fingerprint collision hid a state, and the bytes the store's arrays hold. */
  fingerprints?: { collisionProbability: number; bytes: number };
  /** When an exact search went on in fingerprint mode (`switchToFingerprints`): the states stored at the switch. */
  switchedToFingerprints?: number;
  /** Chunks of the queue written to a scratch file (`queueMemoryBytes`), when any were. */
  spilledQueueChunks?: number;
}

/**
 * Breadth-first search over a transition system. Each state is checked the
 * moment it is discovered, so the first finding of each check lies at the least
 * depth: its path is a shortest one. Successors are taken in the system's
 * canonical action order, so the path is the same on every run.
 *
 * Exact mode (the default) keeps every state; fingerprint mode keeps only
 * fingerprints, parents and action indices, and re-derives a state or a path by
 * replaying actions from its root. The states, their order, the counts and the
 * paths are the same in both unless a fingerprint collision hid a state.
 *
 * A system that offers a packed interface (`MaybePacked`) is searched over its
 * integer vectors instead (`packedBreadthFirst`): the same states, counts,
 * findings and paths, without allocating per successor.
 */
export function breadthFirst<S, A>(system: TransitionSystem<S, A>, checks: ReadonlyArray<StateCheck<S, A>>, options: BfsOptions = {}): BfsResult<S, A> {
  if (options.fingerprints && options.recordEdges) throw new Error(FINGERPRINTS_KEEP_NO_EDGES);
  const packed = options.unpacked ? undefined : (system as Partial<MaybePacked<S>>).packed;
  if (packed) return packedBreadthFirst(system, packed, checks, options);
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const progressEvery = options.progressEvery ?? 50_000;
  const key = (state: S) => system.key(state);
  let exact = options.fingerprints ? undefined : new ExactStore<S>();
  let visited: VisitedStore<S> = exact ?? new FingerprintStore<S>();
  const switchWhen = options.recordEdges ? undefined : options.switchToFingerprints;
  let switchedAt: number | undefined;
  const findings = new Map<string, Finding>();
  const stateChecks = checks.filter((c) => c.kind !== 'deadlock');
  const deadlockChecks = checks.filter((c) => c.kind === 'deadlock');
  let transitions = 0;
  let maxSeenDepth = 0;
  let truncated = false;
  let failure: BfsFailure | undefined;
  let stopped: string | undefined;
  // Stryker disable next-line ArrayDeclaration: each expanded state gets its own list (edgeTargets[at] = []), so what the outer array starts with is never read
  const edgeTargets: number[][] | undefined = options.recordEdges ? [] : undefined;
  // Stryker disable next-line ArrayDeclaration: as for edgeTargets
  const edgeLabels: A[][] | undefined = options.recordEdges ? [] : undefined;

  const everythingFound = () => !options.exhaustAll && checks.length > 0 && checks.every((c) => findings.has(c.name));
  const record = (check: StateCheck<S, A>, at: number, depth: number, witness: unknown) => {
    findings.set(check.name, { check: check.name, stateIndex: at, depth, witness, statesSoFar: visited.count, transitionsSoFar: transitions });
  };
  /** The new state's index, or `-1 - index` of the state already stored under its key. */
  const add = (state: S, from: number, action: number, depth: number): number => {
    const at = visited.add(state, key(state), from, action);
    if (at < 0) return at;
    if (depth > maxSeenDepth) maxSeenDepth = depth;
    for (const check of stateChecks) {
      if (findings.has(check.name)) continue;
      let witness: unknown;
      try {
        witness = check.test(state);
      } catch (error) {
        // A check that throws stops the search at the state it was judging, which the failure names.
        failure ??= { stateIndex: at, actionIndex: -1, error };
        return at;
      }
      if (witness !== undefined && witness !== false && witness !== null) record(check, at, depth, witness);
    }
    return at;
  };

  try {
    for (const s of system.initialStates()) add(s, -1, -1, 0);
  } catch (error) {
    failure = { stateIndex: -1, actionIndex: -1, error };
  }

  // Breadth-first, states are expanded level by level: the depth of the state at `cursor` is the level's number.
  let cursor = 0;
  let depth = 0;
  let levelEnd = visited.count;
  while (!failure && cursor < visited.count && !everythingFound()) {
    if (exact && switchWhen && cursor % SWITCH_EVERY === 0 && switchWhen({ states: exact.count, transitions, queue: exact.count - cursor, depth })) {
      // The states so far become fingerprints, parents and actions; the queue, those not yet expanded.
      switchedAt = exact.count;
      visited = FingerprintStore.fromExact(exact, cursor, key);
      exact = undefined;
    }
    const at = cursor++;
    if (at === levelEnd) {
      depth++;
      levelEnd = visited.count;
    }
    const state = visited.take(at);
    let actions: A[];
    try {
      actions = system.actions(state);
    } catch (error) {
      failure = { stateIndex: at, actionIndex: -1, error };
      break;
    }
    for (const check of deadlockChecks) {
      if (findings.has(check.name)) continue;
      const witness = check.test(state, actions);
      if (witness !== undefined && witness !== false && witness !== null) record(check, at, depth, witness);
    }
    if (depth >= maxDepth) {
      if (actions.length > 0) truncated = true;
      continue;
    }
    const targets: number[] | undefined = edgeTargets ? (edgeTargets[at] = []) : undefined;
    const labels: A[] | undefined = edgeLabels ? (edgeLabels[at] = []) : undefined;
    for (let i = 0; i < actions.length; i++) {
      let next: S;
      try {
        next = system.nextState(state, actions[i]!);
      } catch (error) {
        failure = { stateIndex: at, actionIndex: i, error };
        break;
      }
      transitions++;
      if (visited.count >= maxStates && !visited.has(key(next))) {
        truncated = true;
        continue;
      }
      const added = add(next, at, i, depth + 1);
      if (failure) break;
      targets?.push(added >= 0 ? added : -1 - added);
      labels?.push(actions[i]!);
    }
    if (options.onProgress && at % progressEvery === 0 && at > 0) {
      options.onProgress({ states: visited.count, transitions, queue: visited.count - cursor, depth, ...(exact ? {} : FINGERPRINTED) });
    }
    if (options.stopWhen && at % 4096 === 0 && at > 0) {
      stopped = options.stopWhen({ states: visited.count, transitions, queue: visited.count - cursor, depth, ...(exact ? {} : FINGERPRINTED) });
      if (stopped) break;
    }
  }

  const complete = !failure && !truncated && !stopped && cursor === visited.count;
  const states = visited.count;
  const finalExact = exact;
  const finalVisited = visited;
  const replay = finalExact ? undefined : new PathReplay(system, visited as FingerprintStore<S>);
  return {
    stopped,
    states,
    transitions,
    depth: maxSeenDepth,
    complete,
    findings,
    failure,
    stateAt: finalExact ? (i) => finalExact.states[i]! : (i) => replay!.stateAt(i),
    pathTo: finalExact ? (stateIndex) => pathThroughParents(system, finalExact.states, finalExact.parents, finalExact.actions, stateIndex) : (i) => replay!.pathTo(i),
    rootOf: (stateIndex) => rootThroughParents(finalVisited, stateIndex),
    edges:
      edgeTargets && edgeLabels
        ? { successors: (i) => edgeTargets[i] ?? [], labels: (i) => edgeLabels[i] ?? [] }
        : undefined,
    fingerprints: finalExact ? undefined : { collisionProbability: collisionProbability(states, transitions + (visited as FingerprintStore<S>).roots.length), bytes: (visited as FingerprintStore<S>).bytes },
    switchedToFingerprints: switchedAt,
  };
}

/** Expanded states between two questions whether an exact search should go on in fingerprint mode. */
export const SWITCH_EVERY = 1024;

/** Said in progress reports once a search keeps fingerprints only (not said in exact mode, whose reports stay as they were). */
export const FINGERPRINTED = { fingerprinted: true } as const;

/** Why fingerprint mode and liveness do not go together. */
export const FINGERPRINTS_KEEP_NO_EDGES = 'fingerprint mode keeps no states and no edges: liveness (eventually) properties need the whole graph; check them without --fingerprints';

/**
 * The actions from an initial state to `stateIndex`, read back through the
 * parent and action-index arrays a breadth-first search keeps.
 */
export function pathThroughParents<S, A>(system: Pick<TransitionSystem<S, A>, 'actions'>, states: readonly S[], parent: Int32Array, via: Int32Array, stateIndex: number): A[] {
  return pathThroughParentsOf(system, (i) => states[i]!, parent, via, stateIndex);
}

/** `pathThroughParents` with the states read through `stateAt`. */
export function pathThroughParentsOf<S, A>(system: Pick<TransitionSystem<S, A>, 'actions'>, stateAt: (index: number) => S, parent: Int32Array, via: Int32Array, stateIndex: number): A[] {
  const chain: number[] = [];
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the walk starts at a stored index, never below 0, and stops at a root (parent -1)
  for (let i = stateIndex; i >= 0 && parent[i]! >= 0; i = parent[i]!) chain.push(i);
  chain.reverse();
  return chain.map((i) => system.actions(stateAt(parent[i]!))[via[i]!]!);
}

/** The initial state a parent chain ends at. */
export function rootThroughParents(store: Pick<VisitedStore<unknown>, 'parentOf'>, stateIndex: number): number {
  let i = stateIndex;
  while (i >= 0 && store.parentOf(i) >= 0) i = store.parentOf(i);
  return i;
}
