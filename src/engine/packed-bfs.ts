import { FINGERPRINTED, SWITCH_EVERY, pathThroughParentsOf, rootThroughParents, type BfsFailure, type BfsOptions, type BfsResult, type Finding, type StateCheck } from './bfs.js';
import type { PackedSystem, PackedTest } from './packed.js';
import { PackedExactStore, PackedFingerprintStore, type PackedStore } from './packed-store.js';
import { PathReplay } from './path-replay.js';
import type { TransitionSystem } from './transition-system.js';
import { collisionProbability } from './visited-store.js';

/**
 * `breadthFirst` over a system's packed states: the same states in the same
 * order, the same counts, findings, paths and failures, but successors are
 * integer vectors written into one buffer and looked up in typed arrays, and
 * a state `S` is built only for a check that cannot read the vector, for a
 * deadlock check or edge labels (which need the actions), or when the packed
 * expansion gives up on a state and the plain interface takes over.
 */
export function packedBreadthFirst<S, A>(
  system: TransitionSystem<S, A>,
  packed: PackedSystem<S>,
  checks: ReadonlyArray<StateCheck<S, A> & PackedTest>,
  options: BfsOptions,
): BfsResult<S, A> {
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const progressEvery = options.progressEvery ?? 50_000;
  const unpack = (data: Uint16Array, start: number, end: number) => packed.unpack(data, start, end);
  const queueOptions = { memoryBytes: options.queueMemoryBytes };
  let exact = options.fingerprints ? undefined : new PackedExactStore();
  let fingerprinted = exact ? undefined : new PackedFingerprintStore<S>(unpack, queueOptions);
  let visited: PackedStore = exact ?? fingerprinted!;
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
  const edgeTargets: number[][] | undefined = options.recordEdges ? [] : undefined;
  const edgeLabels: A[][] | undefined = options.recordEdges ? [] : undefined;

  const everythingFound = () => !options.exhaustAll && checks.length > 0 && checks.every((c) => findings.has(c.name));
  const record = (check: StateCheck<S, A>, at: number, depth: number, witness: unknown) => {
    findings.set(check.name, { check: check.name, stateIndex: at, depth, witness, statesSoFar: visited.count, transitionsSoFar: transitions });
  };
  /** Stores `packed.vector[0, length)`; the new state's index, or a negative number when it was known. */
  const add = (length: number, from: number, action: number, depth: number): number => {
    const at = visited.add(packed.vector, length, from, action);
    if (at < 0) return at;
    if (depth > maxSeenDepth) maxSeenDepth = depth;
    let state: S | undefined;
    for (const check of stateChecks) {
      if (findings.has(check.name)) continue;
      let witness: unknown;
      try {
        witness = check.testPacked ? check.testPacked(visited.data, visited.start, visited.end) : check.test((state ??= unpack(visited.data, visited.start, visited.end)));
      } catch (error) {
        failure ??= { stateIndex: at, actionIndex: -1, error };
        return at;
      }
      if (witness !== undefined && witness !== false && witness !== null) record(check, at, depth, witness);
    }
    return at;
  };

  try {
    for (const s of system.initialStates()) add(packed.packInto(s), -1, -1, 0);
  } catch (error) {
    failure = { stateIndex: -1, actionIndex: -1, error };
  }

  let cursor = 0;
  let depth = 0;
  let levelEnd = visited.count;
  while (!failure && cursor < visited.count && !everythingFound()) {
    if (exact && switchWhen && cursor % SWITCH_EVERY === 0 && switchWhen({ states: exact.count, transitions, queue: exact.count - cursor, depth })) {
      // The states so far become fingerprints, parents and actions; the queue, those not yet expanded.
      switchedAt = exact.count;
      fingerprinted = PackedFingerprintStore.fromExact(exact, cursor, unpack, queueOptions);
      visited = fingerprinted;
      exact = undefined;
    }
    const at = cursor++;
    if (at === levelEnd) {
      depth++;
      levelEnd = visited.count;
    }
    visited.take(at);
    // Kept apart from the store's fields, which the next add overwrites; an arena that grows leaves this array as it was.
    const data = visited.data;
    const start = visited.start;
    const end = visited.end;
    // The plain interface, used when asked for (deadlock, edges) or when the packed expansion gives up.
    let state: S | undefined;
    let actions: A[] | undefined;
    let enabled = 0;
    let fallback = false;
    try {
      enabled = packed.beginExpand(data, start, end);
    } catch {
      fallback = true;
    }
    if (fallback || deadlockChecks.length > 0 || edgeLabels) {
      state = unpack(data, start, end);
      try {
        actions = system.actions(state);
      } catch (error) {
        failure = { stateIndex: at, actionIndex: -1, error };
        break;
      }
      enabled = actions.length;
    }
    for (const check of deadlockChecks) {
      if (findings.has(check.name)) continue;
      const witness = check.test(state!, actions!);
      if (witness !== undefined && witness !== false && witness !== null) record(check, at, depth, witness);
    }
    if (depth >= maxDepth) {
      if (enabled > 0) truncated = true;
      continue;
    }
    const targets: number[] | undefined = edgeTargets ? (edgeTargets[at] = []) : undefined;
    const labels: A[] | undefined = edgeLabels ? (edgeLabels[at] = []) : undefined;
    for (let i = 0; i < enabled; i++) {
      let length = -1;
      if (!fallback) {
        try {
          length = packed.successorInto(i);
        } catch {
          fallback = true;
        }
      }
      if (fallback) {
        try {
          state ??= unpack(data, start, end);
          actions ??= system.actions(state);
          length = packed.packInto(system.nextState(state, actions[i]!));
        } catch (error) {
          failure = { stateIndex: at, actionIndex: i, error };
          break;
        }
      }
      transitions++;
      if (visited.count >= maxStates && !visited.has(packed.vector, length)) {
        truncated = true;
        continue;
      }
      const added = add(length, at, i, depth + 1);
      if (failure) break;
      targets?.push(added >= 0 ? added : -1 - added);
      labels?.push(actions![i]!);
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
  fingerprinted?.close();
  const finalExact = exact;
  const replay = fingerprinted ? new PathReplay(system, fingerprinted) : undefined;
  const stateAt = finalExact ? (i: number) => unpack(...finalExact.vectorOf(i)) : (i: number) => replay!.stateAt(i);
  return {
    stopped,
    states,
    transitions,
    depth: maxSeenDepth,
    complete,
    findings,
    failure,
    stateAt,
    pathTo: finalExact ? (i) => pathThroughParentsOf(system, stateAt, finalExact.parents, finalExact.actions, i) : (i) => replay!.pathTo(i),
    rootOf: (i) => rootThroughParents(finalExact ?? fingerprinted!, i),
    edges: edgeTargets && edgeLabels ? { successors: (i) => edgeTargets[i] ?? [], labels: (i) => edgeLabels[i] ?? [] } : undefined,
    fingerprints: fingerprinted ? { collisionProbability: collisionProbability(states, transitions + fingerprinted.roots.length), bytes: fingerprinted.bytes } : undefined,
    switchedToFingerprints: switchedAt,
    spilledQueueChunks: fingerprinted && fingerprinted.spilledChunks > 0 ? fingerprinted.spilledChunks : undefined,
  };
}
