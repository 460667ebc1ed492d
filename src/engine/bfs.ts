import type { TransitionSystem } from './transition-system.js';

/** A condition checked on every state the search discovers. */
export interface StateCheck<S, A> {
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
}

/**
 * Breadth-first search over a transition system. Each state is checked the
 * moment it is discovered, so the first finding of each check lies at the least
 * depth: its path is a shortest one. Successors are taken in the system's
 * canonical action order, so the path is the same on every run.
 */
export function breadthFirst<S, A>(system: TransitionSystem<S, A>, checks: ReadonlyArray<StateCheck<S, A>>, options: BfsOptions = {}): BfsResult<S, A> {
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const progressEvery = options.progressEvery ?? 50_000;
  const index = new Map<string, number>();
  const states: S[] = [];
  let parent = new Int32Array(1024);
  let via = new Int32Array(1024);
  let depthOf = new Uint16Array(1024);
  const findings = new Map<string, Finding>();
  const stateChecks = checks.filter((c) => c.kind !== 'deadlock');
  const deadlockChecks = checks.filter((c) => c.kind === 'deadlock');
  let transitions = 0;
  let maxSeenDepth = 0;
  let truncated = false;
  let failure: BfsFailure | undefined;
  let stopped: string | undefined;
  const edgeTargets: number[][] | undefined = options.recordEdges ? [] : undefined;
  const edgeLabels: A[][] | undefined = options.recordEdges ? [] : undefined;

  const everythingFound = () => !options.exhaustAll && checks.length > 0 && checks.every((c) => findings.has(c.name));
  const record = (check: StateCheck<S, A>, at: number, witness: unknown) => {
    findings.set(check.name, { check: check.name, stateIndex: at, depth: depthOf[at]!, witness, statesSoFar: states.length, transitionsSoFar: transitions });
  };
  const add = (state: S, from: number, action: number, depth: number): number => {
    const k = system.key(state);
    const seen = index.get(k);
    if (seen !== undefined) return seen;
    const at = states.length;
    if (at === parent.length) {
      parent = grow(parent);
      via = grow(via);
      depthOf = grow(depthOf);
    }
    index.set(k, at);
    states.push(state);
    parent[at] = from;
    via[at] = action;
    depthOf[at] = depth;
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
      if (witness !== undefined && witness !== false && witness !== null) record(check, at, witness);
    }
    return at;
  };

  try {
    for (const s of system.initialStates()) add(s, -1, -1, 0);
  } catch (error) {
    failure = { stateIndex: -1, actionIndex: -1, error };
  }

  let cursor = 0;
  while (!failure && cursor < states.length && !everythingFound()) {
    const at = cursor++;
    const state = states[at]!;
    const depth = depthOf[at]!;
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
      if (witness !== undefined && witness !== false && witness !== null) record(check, at, witness);
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
      if (states.length >= maxStates && !index.has(system.key(next))) {
        truncated = true;
        continue;
      }
      const target = add(next, at, i, depth + 1);
      if (failure) break;
      targets?.push(target);
      labels?.push(actions[i]!);
    }
    if (options.onProgress && at % progressEvery === 0 && at > 0) {
      options.onProgress({ states: states.length, transitions, queue: states.length - cursor, depth });
    }
    if (options.stopWhen && at % 4096 === 0 && at > 0) {
      stopped = options.stopWhen({ states: states.length, transitions, queue: states.length - cursor, depth });
      if (stopped) break;
    }
  }

  const complete = !failure && !truncated && !stopped && cursor === states.length;
  return {
    stopped,
    states: states.length,
    transitions,
    depth: maxSeenDepth,
    complete,
    findings,
    failure,
    stateAt: (i) => states[i]!,
    pathTo: (stateIndex) => pathThroughParents(system, states, parent, via, stateIndex),
    rootOf: (stateIndex) => rootThroughParents(parent, stateIndex),
    edges:
      edgeTargets && edgeLabels
        ? { successors: (i) => edgeTargets[i] ?? [], labels: (i) => edgeLabels[i] ?? [] }
        : undefined,
  };
}

/**
 * The actions from an initial state to `stateIndex`, read back through the
 * parent and action-index arrays a breadth-first search keeps.
 */
export function pathThroughParents<S, A>(system: Pick<TransitionSystem<S, A>, 'actions'>, states: readonly S[], parent: Int32Array, via: Int32Array, stateIndex: number): A[] {
  const chain: number[] = [];
  for (let i = stateIndex; i >= 0 && parent[i]! >= 0; i = parent[i]!) chain.push(i);
  chain.reverse();
  return chain.map((i) => system.actions(states[parent[i]!]!)[via[i]!]!);
}

/** The initial state a parent chain ends at. */
export function rootThroughParents(parent: Int32Array, stateIndex: number): number {
  let i = stateIndex;
  while (i >= 0 && parent[i]! >= 0) i = parent[i]!;
  return i;
}

function grow<T extends Int32Array | Uint16Array>(array: T): T {
  const bigger = new (array.constructor as new (n: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}
