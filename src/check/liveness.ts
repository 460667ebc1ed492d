import type { BfsResult } from '../engine/bfs.js';
import { findFairLasso, type ExploredGraph } from '../engine/liveness.js';
import type { EventuallyProperty } from '../spec/property.js';
import type { WorldAction } from '../world/actions.js';
import { BUDGET_KINDS } from '../world/world.js';
import { WorldView } from '../world/world-view.js';
import type { ModelInstance } from './instance.js';
import type { CheckResult } from './result.js';
import { withInitial } from './trace.js';

// Weak fairness is owed to the protocol's own steps, never to the environment
// (faults, heals, restarts and client requests may simply stop): World.isFair says which.

type LivenessVerdict = Pick<CheckResult, 'verdict' | 'note' | 'trace' | 'traceLength' | 'witness' | 'loopFrom'>;

/** Decides a leads-to property on a completely explored world graph. */
export function checkLiveness(instance: ModelInstance, property: EventuallyProperty, bfs: BfsResult<string, WorldAction>): LivenessVerdict {
  const world = instance.world;
  const memo = (test: (w: WorldView) => boolean) => {
    const cache = new Int8Array(bfs.states).fill(-1);
    return (s: number) => {
      if (cache[s] === -1) cache[s] = test(new WorldView(world, bfs.stateAt(s))) ? 1 : 0;
      return cache[s] === 1;
    };
  };
  const trigger = memo(property.trigger ?? (() => true));
  const goal = memo(property.goal);
  const graph: ExploredGraph<WorldAction> = {
    size: bfs.states,
    successors: (s) => bfs.edges!.successors(s),
    labels: (s) => bfs.edges!.labels(s),
    isFair: (a) => world.isFair(a),
  };
  // Without a trigger the goal is owed from the start: the roots are the initial states, which the search numbers first.
  const roots = Array.from({ length: world.initialStates().length }, (_, i) => i);
  const lasso = findFairLasso(graph, property.trigger ? trigger : (s) => s < roots.length, goal, { roots });
  if (!lasso) {
    let triggered = false;
    for (let s = 0; s < bfs.states && !triggered; s++) triggered = trigger(s);
    return triggered ? { verdict: 'holds', traceLength: null } : { verdict: 'vacuous', traceLength: null, note: 'vacuous: the trigger never holds in any reachable state' };
  }
  // The lasso's own prefix, not bfs.pathTo(start): the search chose the start for the shortest way to the loop.
  const prefix = withInitial(world, bfs.stateAt(lasso.root), [...lasso.prefix, ...lasso.stem].map((s) => s.action));
  const trace = [...prefix, ...lasso.loop.map((s) => s.action)].map((a) => a.descriptor);
  const loopFrom = prefix.length;
  const last = bfs.stateAt(lasso.loopState);
  const spent = BUDGET_KINDS.filter((k) => (k === 'timeout' || k === 'tick' || k === 'request') && (instance.world.spec.budgets[k] ?? 0) > 0 && world.budgetLeft(last, k) === 0);
  const witness =
    lasso.loop.length === 0
      ? `after step ${loopFrom} nothing the protocol owes can happen, so this is never achieved: ${lowerFirst(property.statement)}`
      : `steps ${loopFrom + 1} to ${trace.length} can repeat forever, fairly, so this is never achieved: ${lowerFirst(property.statement)}`;
  const notes = [
    lasso.loop.length === 0 && spent.length ? `possibly an artefact of the bounds: the ${spent.join(' and ')} budget is spent where the behaviour stops` : undefined,
    lasso.loopShortest ? undefined : 'the loop is fair but built greedily, not a shortest one: the search for the shortest ran out of budget',
  ].filter((n) => n !== undefined);
  const note = notes.length ? notes.join('; ') : undefined;
  return { verdict: 'violated', trace, traceLength: trace.length, loopFrom, witness: { message: witness }, note };
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/**
 * Whether replayed steps still form the recorded lasso: from some point where
 * the trigger holds, the goal never holds again, and the last `loop` steps
 * return to the state they started from (or, for a stutter, nothing fair is
 * enabled at the end).
 */
export function lassoHolds(instance: ModelInstance, property: EventuallyProperty, states: readonly string[], loopFrom: number): boolean {
  const world = instance.world;
  const holds = (test: ((w: WorldView) => boolean) | undefined, s: string) => (test ? test(new WorldView(world, s)) : true);
  const last = states[states.length - 1]!;
  const closes = loopFrom >= states.length - 1 ? !world.actions(last).some((a) => world.isFair(a)) : states[loopFrom] === last && loopIsFair(instance, states.slice(loopFrom));
  if (!closes) return false;
  // The goal must stay false from the triggered state to the end; find the latest trigger before the loop.
  for (let start = Math.min(loopFrom, states.length - 1); start >= 0; start--) {
    if (holds(property.goal, states[start]!)) return false;
    const triggered = property.trigger ? holds(property.trigger, states[start]!) : start === 0;
    if (triggered) return true;
  }
  return false;
}

/**
 * Weak fairness on a replayed loop: every fair action enabled all along the
 * loop is taken somewhere in it (some step of the loop is where it leads).
 * Without this, a loop the recorded variant could repeat fairly would count as
 * reproduced on a variant where a timer the loop never fires is always enabled.
 */
function loopIsFair(instance: ModelInstance, loop: readonly string[]): boolean {
  const world = instance.world;
  const enabled = loop.slice(0, -1).map((s) => world.actions(s).filter((a) => world.isFair(a)));
  const always = enabled[0]!.filter((a) => enabled.every((list) => list.some((b) => b.id === a.id)));
  return always.every((a) => loop.slice(0, -1).some((s, i) => world.nextState(s, a) === loop[i + 1]));
}

/**
 * A lasso inside one finite run (random mode): a point where the trigger holds
 * after which the goal never holds, ending either in a state repeated with a
 * fair cycle between, or in a state where nothing fair is enabled. Such a run
 * really can go on forever without the goal, so this is a counterexample, not
 * a guess; a run without one proves nothing.
 */
export function lassoInRun<S = string>(
  instance: ModelInstance,
  property: EventuallyProperty,
  states: readonly S[],
  actions: readonly WorldAction[],
  ask: RunQuestions<S> = directQuestions(instance, property) as unknown as RunQuestions<S>,
): { end: number; loopFrom: number } | undefined {
  // Every question is asked of every state first, in this order, as a judge that throws must throw whatever the run holds.
  const goal = states.map((s) => ask.goal(s));
  const trigger = states.map((s, i) => (property.trigger ? ask.trigger(s) : i === 0));
  const fairEnabled = states.map((s) => ask.fairEnabled(s));
  // One pass over the run. `earlier` holds, per state, where it occurred since the goal was last owed afresh
  // (a loop must lie wholly in one stretch where the goal is owed), so only real repeats are looked at,
  // latest first: the lasso found is the one a scan of every earlier step would find first.
  const earlier = new Map<S, number[]>();
  let pending = false;
  for (let k = 0; k < states.length; k++) {
    if (goal[k]) pending = false;
    else if (trigger[k]) pending = true;
    if (!pending || goal[k]) {
      earlier.clear();
      continue;
    }
    if (fairEnabled[k]!.length === 0) return { end: k, loopFrom: k };
    const state = states[k]!;
    const at = earlier.get(state);
    if (at === undefined) {
      earlier.set(state, [k]);
      continue;
    }
    for (let i = at.length - 1; i >= 0; i--) {
      const j = at[i]!;
      if (isFairLoop(actions, fairEnabled, j, k)) return { end: k, loopFrom: j };
    }
    at.push(k);
  }
  return undefined;
}

/** Whether steps j..k-1 of a run form a loop that weak fairness allows: no `init` step, and every fair action enabled all along taken. */
function isFairLoop(actions: readonly WorldAction[], fairEnabled: ReadonlyArray<readonly string[]>, j: number, k: number): boolean {
  // An `init` step (a trace's choice of initial state) repeats its state without being a step: no loop.
  for (let i = j; i < k; i++) if (actions[i]!.kind === 'init') return false;
  const taken = new Set<string>();
  for (let i = j; i < k; i++) taken.add(actions[i]!.id);
  return fairEnabled[j]!.every((id) => taken.has(id) || !fairEnabled.slice(j, k).every((ids) => ids.includes(id)));
}

/**
 * What `lassoInRun` asks of each state of a run. Random search answers from
 * its records of states (`S`: one record per distinct state, so equal records
 * are equal states), since runs revisit states.
 */
export interface RunQuestions<S = string> {
  goal(state: S): boolean;
  trigger(state: S): boolean;
  /** The ids of the fair actions enabled there. */
  fairEnabled(state: S): readonly string[];
}

function directQuestions(instance: ModelInstance, property: EventuallyProperty): RunQuestions {
  const world = instance.world;
  return {
    goal: (s) => property.goal(new WorldView(world, s)),
    trigger: (s) => (property.trigger ? property.trigger(new WorldView(world, s)) : true),
    fairEnabled: (s) => world.actions(s).filter((a) => world.isFair(a)).map((a) => a.id),
  };
}
