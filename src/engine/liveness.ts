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
 * decides existence. The lasso reported is then a shortest one in the sense
 * `findFairLasso` states; a greedy walk builds the loop only when the search
 * for the shortest one runs out of budget.
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
  /** The root the behaviour starts from (with no roots given: `start`). */
  root: number;
  /** Steps from `root` to `start`; the goal may hold along them, it is not owed yet. */
  prefix: LassoStep<A>[];
  /** The state where the trigger holds and the goal does not. */
  start: number;
  /** Steps from `start` to the first state of the loop. */
  stem: LassoStep<A>[];
  /** Steps that return to where they began; empty for a stutter at a state with no fair action enabled. */
  loop: LassoStep<A>[];
  /** The state the loop begins and ends at (or stutters at). */
  loopState: number;
  /** False when the search for the shortest fair loop ran out of budget and the loop was built greedily instead. */
  loopShortest: boolean;
}

export interface LassoOptions {
  /**
   * The states behaviours start from (a search's initial states). With them,
   * prefix + stem is a shortest path from a root to a state a fair lasso can
   * loop or stutter at, passing a triggered state after which the goal never
   * holds. Without them, the stem is a shortest such path from any triggered state.
   */
  roots?: readonly number[];
  /** How many (state, owed actions done) pairs the shortest-loop search may visit before it falls back to a greedy loop. */
  loopBudget?: number;
}

const DEFAULT_LOOP_BUDGET = 2_000_000;

/**
 * What is minimised, precisely: first the length of prefix + stem (the steps
 * to the loop's first state, called the entry); then, among entries at that
 * distance, the length of the loop, which is the shortest fair cycle through
 * its entry. A lasso with a longer stem and a shorter loop, shorter as a whole,
 * can still exist: stem and loop are each minimal in that order, not their sum.
 */
export function findFairLasso<A>(graph: ExploredGraph<A>, trigger: (s: number) => boolean, goal: (s: number) => boolean, options: LassoOptions = {}): Lasso<A> | undefined {
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
  let anyBad = false;
  for (const [c, states] of members) {
    const inside = (t: number) => relevant[t] === 1 && component[t] === c;
    const hasInternalEdge = states.some((s) => graph.successors(s).some(inside));
    if (hasInternalEdge && unfairActions(graph, states, inside).length === 0) for (const s of states) bad[s] = 1;
    for (const s of states) if (stutters(graph, s)) bad[s] = 1;
  }
  for (let s = 0; s < n && !anyBad; s++) anyBad = bad[s] === 1;
  if (!anyBad) return undefined;
  const approach = nearestEntries(graph, options.roots, starts, (s) => relevant[s] === 1, (s) => bad[s] === 1, goal, trigger);
  if (!approach) return undefined;
  // Among the entries at the least distance, the one with the shortest fair loop (a stutter is the shortest of all).
  const budget = options.loopBudget ?? DEFAULT_LOOP_BUDGET;
  let best: { entry: number; loop: LassoStep<A>[]; shortest: boolean } | undefined;
  for (const entry of approach.entries) {
    if (stutters(graph, entry)) {
      best = { entry, loop: [], shortest: true };
      break;
    }
    const within = (s: number) => relevant[s] === 1 && component[s] === component[entry];
    const shortest = shortestFairLoop(graph, entry, within, budget, best ? best.loop.length : Infinity);
    if (shortest === 'none-shorter') continue;
    const loop = shortest ?? fairCycle(graph, entry, within);
    if (!best || loop.length < best.loop.length) best = { entry, loop, shortest: shortest !== undefined };
  }
  const { root, prefix, start, stem } = approach.pathTo(best!.entry);
  return { root, prefix, start, stem, loop: best!.loop, loopState: best!.entry, loopShortest: best!.shortest };
}

/** Whether nothing the protocol owes fairness can happen at this state: the behaviour may stop (stutter) there. */
const stutters = <A>(graph: ExploredGraph<A>, s: number) => !graph.labels(s).some((a) => graph.isFair(a));

interface Approach<A> {
  /** The loop entries at the least distance, in the order the search met them. */
  entries: number[];
  pathTo(entry: number): { root: number; prefix: LassoStep<A>[]; start: number; stem: LassoStep<A>[] };
}

/**
 * Breadth-first search over (state, owed?) pairs: a pair is "not owed yet"
 * while the behaviour may still pass the goal, and becomes "owed" at no cost
 * at a triggered state where the goal does not hold; owed pairs move only
 * through relevant states (never the goal). Without roots, the search starts
 * owed at every triggered state. It stops at the first level holding an owed
 * entry (a state a fair lasso can loop at).
 */
function nearestEntries<A>(
  graph: ExploredGraph<A>,
  roots: readonly number[] | undefined,
  starts: readonly number[],
  relevant: (s: number) => boolean,
  entry: (s: number) => boolean,
  goal: (s: number) => boolean,
  trigger: (s: number) => boolean,
): Approach<A> | undefined {
  const n = graph.size;
  // Node id: state * 2 + (1 when owed). previous: the node one step (or one switch) back, -1 at a source; via: the successor index taken, -1 for the switch.
  const previous = new Int32Array(2 * n).fill(-2);
  const via = new Int32Array(2 * n);
  let level: number[] = [];
  const visit = (node: number, from: number, k: number, into: number[]) => {
    if (previous[node] !== -2) return;
    previous[node] = from;
    via[node] = k;
    into.push(node);
  };
  if (roots) for (const r of roots) visit(2 * r, -1, -1, level);
  else for (const s of starts) visit(2 * s + 1, -1, -1, level);
  while (level.length) {
    const next: number[] = [];
    // The switch to "owed" costs no step: nodes it adds join this level (the loop below reaches them, as it reads `level` as it grows).
    for (let i = 0; i < level.length; i++) {
      const node = level[i]!;
      const s = node >> 1;
      const owed = (node & 1) === 1;
      if (!owed && trigger(s) && !goal(s)) visit(2 * s + 1, node, -1, level);
    }
    const entries = level.filter((node) => (node & 1) === 1 && entry(node >> 1)).map((node) => node >> 1);
    if (entries.length) return { entries, pathTo: (e) => unwindApproach(graph, previous, via, 2 * e + 1) };
    for (const node of level) {
      const s = node >> 1;
      const owed = (node & 1) === 1;
      const successors = graph.successors(s);
      for (let k = 0; k < successors.length; k++) {
        const t = successors[k]!;
        if (owed && !relevant(t)) continue;
        visit(2 * t + (owed ? 1 : 0), node, k, next);
      }
    }
    level = next;
  }
  return undefined;
}

function unwindApproach<A>(graph: ExploredGraph<A>, previous: Int32Array, via: Int32Array, last: number) {
  const owedSteps: LassoStep<A>[] = [];
  const freeSteps: LassoStep<A>[] = [];
  let start = -1;
  let node = last;
  while (previous[node] !== -1) {
    const back = previous[node]!;
    if (via[node] === -1) start = node >> 1;
    else {
      const from = back >> 1;
      const step = { from, action: graph.labels(from)[via[node]!]!, to: node >> 1 };
      ((node & 1) === 1 ? owedSteps : freeSteps).push(step);
    }
    node = back;
  }
  // A source that starts owed (no roots given) is its own start.
  if (start === -1) start = node >> 1;
  return { root: node >> 1, prefix: freeSteps.reverse(), start, stem: owedSteps.reverse() };
}

/**
 * The shortest cycle from `entry` back to it inside `within` that is weakly
 * fair: every fair action enabled at the entry is, somewhere on the cycle,
 * either taken or disabled (an action enabled all along and never taken is
 * what makes a cycle unfair). Breadth-first over (state, which of those owed
 * actions are done) pairs; `undefined` when the budget of pairs runs out,
 * 'none-shorter' when no fair cycle shorter than `shorterThan` exists.
 */
function shortestFairLoop<A>(graph: ExploredGraph<A>, entry: number, within: (s: number) => boolean, budget: number, shorterThan: number): LassoStep<A>[] | undefined | 'none-shorter' {
  const owed = [...new Set(graph.labels(entry).filter((a) => graph.isFair(a)))];
  if (owed.length > 30) return undefined; // the done-set is a 32-bit mask
  const bit = new Map(owed.map((a, i) => [a, 1 << i] as const));
  const all = (1 << owed.length) - 1;
  const disabledAt = new Map<number, number>();
  const disabled = (s: number) => {
    let mask = disabledAt.get(s);
    if (mask === undefined) {
      const here = new Set(graph.labels(s));
      mask = 0;
      owed.forEach((a, i) => {
        if (!here.has(a)) mask! |= 1 << i;
      });
      disabledAt.set(s, mask);
    }
    return mask;
  };
  // Pairs are numbered in the order found; seen maps state → (mask → pair number).
  const pairState: number[] = [entry];
  const pairMask: number[] = [0];
  const pairPrevious: number[] = [-1];
  const pairStep: Array<LassoStep<A> | undefined> = [undefined];
  // Stryker disable next-line ArrayDeclaration: without the first depth only the early "none shorter" stop is lost; the caller keeps the shorter loop either way
  const pairDepth: number[] = [0];
  // Stryker disable next-line ArrayDeclaration: without the entry marked seen it is queued once more; the search still meets the same shortest loop first
  const seen = new Map<number, Map<number, number>>([[entry, new Map([[0, 0]])]]);
  const unwind = (pair: number, last: LassoStep<A>) => {
    const steps = [last];
    for (let p = pair; pairStep[p]; p = pairPrevious[p]!) steps.push(pairStep[p]!);
    return steps.reverse();
  };
  for (let i = 0; i < pairState.length; i++) {
    if (pairDepth[i]! + 1 >= shorterThan) return 'none-shorter';
    const s = pairState[i]!;
    const successors = graph.successors(s);
    const labels = graph.labels(s);
    for (let k = 0; k < successors.length; k++) {
      const t = successors[k]!;
      if (!within(t)) continue;
      const step = { from: s, action: labels[k]!, to: t };
      const mask = (pairMask[i]! | (bit.get(labels[k]!) ?? 0) | disabled(t)) & all;
      if (t === entry && mask === all) return unwind(i, step);
      let masks = seen.get(t);
      if (!masks) seen.set(t, (masks = new Map()));
      if (masks.has(mask)) continue;
      if (pairState.length >= budget) return undefined;
      masks.set(mask, pairState.length);
      pairState.push(t);
      pairMask.push(mask);
      pairPrevious.push(i);
      pairStep.push(step);
      pairDepth.push(pairDepth[i]! + 1);
    }
  }
  // Reached only when a shorter loop was already known (an entry of a fair component always has a fair loop: its tour).
  return shorterThan === Infinity ? undefined : 'none-shorter';
}

/** Fair actions enabled in every state of the component but taken on no edge inside it. */
function unfairActions<A>(graph: ExploredGraph<A>, states: number[], inside: (s: number) => boolean): A[] {
  let always: Set<A> | undefined;
  const taken = new Set<A>();
  for (const s of states) {
    const labels = graph.labels(s);
    const successors = graph.successors(s);
    const fairHere = new Set(labels.filter((a) => graph.isFair(a)));
    always = always ? new Set([...always].filter((a) => fairHere.has(a))) : fairHere;
    labels.forEach((a, k) => {
      if (inside(successors[k]!)) taken.add(a);
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
function fairCycle<A>(graph: ExploredGraph<A>, entry: number, within: (s: number) => boolean): LassoStep<A>[] {
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
