/**
 * Liveness on an explored graph: "whenever `trigger` holds, `goal` eventually
 * holds" under weak fairness. A counterexample is a lasso: a state where the
 * trigger holds and the goal does not, then a path and a cycle that never
 * reach the goal, on which every fair action that stays enabled is taken.
 * (Stuttering forever counts as a cycle where no fair action is enabled.)
 *
 * Weak fairness per action: a cycle is unfair if some fair action is enabled
 * in every state of the cycle yet never taken on it. For a strongly connected
 * component C the tour through all of C is fair unless a fair action is enabled
 * in every state of C and taken nowhere inside C; and then no cycle inside C is
 * fair either. So checking each component's "always enabled, never taken" set
 * decides existence, and a greedy walk then builds a short fair cycle.
 */
export interface ExploredGraph<A> {
  readonly size: number;
  successors(state: number): readonly number[];
  /** The action on each successor edge, in the same order. */
  labels(state: number): readonly A[];
  isFair(action: A): boolean;
}

export interface LassoStep<A> {
  from: number;
  action: A;
  to: number;
}

export interface Lasso<A> {
  /** The state where the trigger holds and the goal does not. */
  start: number;
  /** Steps from `start` to the first state of the loop. */
  stem: LassoStep<A>[];
  /** Steps that return to where they began; empty for a stutter at a state with no fair action enabled. */
  loop: LassoStep<A>[];
  /** The state the loop begins and ends at (or stutters at). */
  loopState: number;
}

export function findFairLasso<A>(graph: ExploredGraph<A>, trigger: (s: number) => boolean, goal: (s: number) => boolean): Lasso<A> | undefined {
  const n = graph.size;
  // States not at the goal that a triggered, not-yet-satisfied state can reach without passing the goal.
  const relevant = new Uint8Array(n);
  const starts: number[] = [];
  for (let s = 0; s < n; s++) if (trigger(s) && !goal(s)) starts.push(s);
  const stack = [...starts];
  for (const s of starts) relevant[s] = 1;
  while (stack.length) {
    const s = stack.pop()!;
    for (const t of graph.successors(s)) {
      if (!relevant[t] && !goal(t)) {
        relevant[t] = 1;
        stack.push(t);
      }
    }
  }
  const component = stronglyConnected(graph, relevant);
  const bad = new Uint8Array(n); // states where a fair lasso can loop (or stutter)
  const members = new Map<number, number[]>();
  for (let s = 0; s < n; s++) {
    if (!relevant[s]) continue;
    const c = component[s]!;
    let list = members.get(c);
    if (!list) members.set(c, (list = []));
    list.push(s);
  }
  for (const states of members.values()) {
    const inside = new Set(states);
    const hasInternalEdge = states.some((s) => graph.successors(s).some((t) => inside.has(t)));
    if (hasInternalEdge && unfairActions(graph, states, inside).length === 0) for (const s of states) bad[s] = 1;
    for (const s of states) if (!graph.labels(s).some((a) => graph.isFair(a))) bad[s] = 1;
  }
  // The first triggered state (in exploration order) from which a bad state is reachable within the relevant states.
  // A search that fails marks what it reached as unable to reach a bad state, so later searches skip it: one pass, not one per start.
  const hopeless = new Uint8Array(n);
  for (const start of starts) {
    if (hopeless[start]) continue;
    const stem = pathWithin(graph, start, (s) => bad[s] === 1, (s) => relevant[s] === 1 && !hopeless[s], undefined, false, (s) => (hopeless[s] = 1));
    if (!stem) continue;
    const entry = stem.length ? stem[stem.length - 1]!.to : start;
    const stutters = !graph.labels(entry).some((a) => graph.isFair(a));
    const loop = stutters ? [] : fairCycle(graph, entry, component, relevant);
    return { start, stem, loop, loopState: entry };
  }
  return undefined;
}

/** Fair actions enabled in every state of the component but taken on no edge inside it. */
function unfairActions<A>(graph: ExploredGraph<A>, states: number[], inside: Set<number>): A[] {
  let always: Set<A> | undefined;
  const taken = new Set<A>();
  for (const s of states) {
    const labels = graph.labels(s);
    const successors = graph.successors(s);
    const fairHere = new Set(labels.filter((a) => graph.isFair(a)));
    always = always ? new Set([...always].filter((a) => fairHere.has(a))) : fairHere;
    labels.forEach((a, k) => {
      if (inside.has(successors[k]!)) taken.add(a);
    });
  }
  return [...(always ?? [])].filter((a) => !taken.has(a));
}

/**
 * Builds a cycle through `entry` inside its component that is weakly fair:
 * while some fair action has been enabled at every state visited so far and
 * not taken, walk to an edge taking it or to a state where it is disabled;
 * then walk back to the entry.
 */
function fairCycle<A>(graph: ExploredGraph<A>, entry: number, component: Int32Array, relevant: Uint8Array): LassoStep<A>[] {
  const c = component[entry]!;
  const within = (s: number) => relevant[s] === 1 && component[s] === c;
  const path: LassoStep<A>[] = [];
  let at = entry;
  for (let guard = 0; guard < 10_000; guard++) {
    const visited = [entry, ...path.map((step) => step.to)];
    const takenActions = new Set(path.map((step) => step.action));
    const pending = graph.labels(entry).filter((a) => graph.isFair(a) && !takenActions.has(a) && visited.every((s) => graph.labels(s).includes(a)));
    if (pending.length === 0) break;
    const needed = pending[0]!;
    const reach = pathWithin(
      graph,
      at,
      (s) => !graph.labels(s).includes(needed),
      within,
      (s, a, t) => a === needed && within(t),
    );
    if (!reach) break; // cannot happen in a component that passed the fairness test
    path.push(...reach);
    at = path[path.length - 1]!.to;
  }
  if (path.length === 0 || at !== entry) {
    // Take at least one step, then come home.
    if (path.length === 0) {
      const k = graph.successors(entry).findIndex((t) => within(t));
      path.push({ from: entry, action: graph.labels(entry)[k]!, to: graph.successors(entry)[k]! });
      at = path[0]!.to;
    }
    if (at !== entry) path.push(...pathWithin(graph, at, (s) => s === entry, within, undefined, true)!);
  }
  return path;
}

/**
 * Shortest path (breadth-first) from `from` to a state satisfying `target`
 * (or through an edge satisfying `targetEdge`), moving only through states
 * allowed by `allowed`. `nonEmpty` demands at least one step.
 */
function pathWithin<A>(
  graph: ExploredGraph<A>,
  from: number,
  target: (s: number) => boolean,
  allowed: (s: number) => boolean,
  targetEdge?: (s: number, a: A, t: number) => boolean,
  nonEmpty = false,
  /** Told every state the search reached, when it finds no path. */
  onFailure?: (s: number) => void,
): LassoStep<A>[] | undefined {
  if (!nonEmpty && target(from)) return [];
  const previous = new Map<number, LassoStep<A> | null>([[from, null]]);
  const queue = [from];
  const unwind = (last: LassoStep<A>) => {
    const steps = [last];
    for (let step = previous.get(last.from); step; step = previous.get(step.from)) steps.push(step);
    return steps.reverse();
  };
  for (let i = 0; i < queue.length; i++) {
    const s = queue[i]!;
    const successors = graph.successors(s);
    const labels = graph.labels(s);
    for (let k = 0; k < successors.length; k++) {
      const t = successors[k]!;
      const step = { from: s, action: labels[k]!, to: t };
      if (targetEdge?.(s, labels[k]!, t)) return unwind(step);
      if (!allowed(t)) continue;
      if (target(t)) return unwind(step);
      if (previous.has(t)) continue;
      previous.set(t, step);
      queue.push(t);
    }
  }
  if (onFailure) for (const s of queue) onFailure(s);
  return undefined;
}

/** Tarjan's algorithm, iterative, over the states marked in `include`: component id per state. */
function stronglyConnected<A>(graph: ExploredGraph<A>, include: Uint8Array): Int32Array {
  const n = graph.size;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const component = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  let counter = 0;
  let components = 0;
  for (let root = 0; root < n; root++) {
    if (!include[root] || index[root] !== -1) continue;
    const work: Array<[number, number]> = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length) {
      const frame = work[work.length - 1]!;
      const [v, k] = frame;
      const successors = graph.successors(v);
      if (k < successors.length) {
        frame[1] = k + 1;
        const w = successors[k]!;
        if (!include[w]) continue;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v]!, index[w]!);
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]![0];
        low[parent] = Math.min(low[parent]!, low[v]!);
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          component[w] = components;
        } while (w !== v);
        components++;
      }
    }
  }
  return component;
}
