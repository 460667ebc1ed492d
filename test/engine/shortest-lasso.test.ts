import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findFairLasso, type ExploredGraph, type Lasso, type LassoStep } from '../../src/engine/liveness.js';
import { labelled } from './graph.js';

const at = (...states: number[]) => (s: number) => states.includes(s);
const never = () => false;
const names = (steps: Array<{ action: string }>) => steps.map((s) => s.action);

/** Weak fairness read off a closed walk, independently of the engine: every fair action enabled at every state of it is taken on it. */
function walkIsFair(g: ExploredGraph<string>, walk: readonly LassoStep<string>[]): boolean {
  const states = walk.map((s) => s.from);
  const fairAt = states.map((s) => new Set(g.labels(s).filter((a) => g.isFair(a))));
  const always = [...fairAt[0]!].filter((a) => fairAt.every((set) => set.has(a)));
  return always.every((a) => walk.some((s) => s.action === a));
}

/** The steps are edges of the graph, each leaving where the previous arrived; returns where the walk ends. */
function follow(g: ExploredGraph<string>, from: number, steps: readonly LassoStep<string>[]): number {
  let here = from;
  for (const step of steps) {
    expect(step.from).toBe(here);
    expect(g.successors(step.from).some((t, k) => t === step.to && g.labels(step.from)[k] === step.action)).toBe(true);
    here = step.to;
  }
  return here;
}

/** Every closed walk from `entry` of fewer than `limit` steps through states `allowed` admits: does any of them pass `test`? */
function someClosedWalk(g: ExploredGraph<string>, entry: number, allowed: (s: number) => boolean, limit: number, test: (walk: LassoStep<string>[]) => boolean): boolean {
  const extend = (walk: LassoStep<string>[], here: number): boolean => {
    if (walk.length && here === entry && test(walk)) return true;
    if (walk.length + 1 >= limit + 1) return false;
    return g.successors(here).some((t, k) => allowed(t) && extend([...walk, { from: here, action: g.labels(here)[k]!, to: t }], t));
  };
  return extend([], entry);
}

const stutters = (g: ExploredGraph<string>, s: number) => !g.labels(s).some((a) => g.isFair(a));

describe('shortest lassos', () => {
  it('the loop is the shortest fair cycle through its entry, not the greedy one', () => {
    // At 0, a and b are owed. Greedy takes a first (0 → 1), then b (1 → 4), then comes home (4 → 0): 3 steps.
    // Taking b to 2, where a is disabled, and back is fair in 2.
    const g = labelled({ 0: [['a', 1], ['b', 2]], 1: [['b', 4], ['c', 0]], 2: [['e', 0]], 4: [['d', 0]] }, 5);
    const lasso = findFairLasso(g, at(0), never)!;
    expect(lasso.loopState).toBe(0);
    expect(names(lasso.loop)).toEqual(['b', 'e']);
    expect(lasso.loopShortest).toBe(true);
    // The greedy builder, kept as the fallback when the budget runs out, gives the longer fair loop.
    const greedy = findFairLasso(g, at(0), never, { loopBudget: 1 })!;
    expect(greedy.loopShortest).toBe(false);
    expect(names(greedy.loop)).toEqual(['a', 'b', 'd']);
    expect(walkIsFair(g, greedy.loop)).toBe(true);
  });

  it('the stem is shortest from a root, even when an earlier triggered state in exploration order is farther from a loop', () => {
    // Root 0. State 1 is triggered and 3 steps from a dead end; state 5 is triggered and 1 step from one.
    const g = labelled({ 0: [['a', 1], ['e', 5]], 1: [['b', 2]], 2: [['c', 3]], 3: [['d', 4]], 5: [['f', 6]] }, 7);
    const lasso = findFairLasso(g, at(1, 5), never, { roots: [0] })!;
    expect(lasso.root).toBe(0);
    expect(lasso.start).toBe(5);
    expect(names(lasso.prefix)).toEqual(['e']);
    expect(names(lasso.stem)).toEqual(['f']);
    expect(lasso.loop).toEqual([]);
    // Without roots every triggered state is a source: the stem alone is minimised.
    expect(findFairLasso(g, at(1, 5), never)!.start).toBe(5);
  });

  it('the prefix may pass the goal before the trigger; the stem never does', () => {
    // 0 → 1 (goal) → 2 (trigger) → 3 (dead end); from 0 a longer way to 2 avoids the goal, but it need not.
    const g = labelled({ 0: [['a', 1], ['x', 4]], 1: [['b', 2]], 4: [['y', 5]], 5: [['z', 2]], 2: [['c', 3]] }, 6);
    const lasso = findFairLasso(g, at(2), at(1), { roots: [0] })!;
    expect(names(lasso.prefix)).toEqual(['a', 'b']);
    expect(names(lasso.stem)).toEqual(['c']);
    expect(lasso.loopState).toBe(3);
  });

  it('among entries at the least distance, the one with the shorter loop wins', () => {
    // Entries 1 and 2 are both one step from the root. 1 loops in 3 steps, 2 in 1.
    const g = labelled({ 0: [['a', 1], ['b', 2]], 1: [['p', 3]], 3: [['q', 4]], 4: [['r', 1]], 2: [['s', 2]] }, 5);
    const lasso = findFairLasso(g, at(0), never, { roots: [0] })!;
    expect(lasso.loopState).toBe(2);
    expect(names(lasso.loop)).toEqual(['s']);
  });

  it('on random graphs: the approach is no longer than any found by brute force, and no shorter fair loop through the entry exists', () => {
    const graphArb = fc
      .integer({ min: 2, max: 5 })
      .chain((size) =>
        fc.record({
          size: fc.constant(size),
          edges: fc.array(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'fault'), fc.integer({ min: 0, max: size - 1 })), { maxLength: 2 }), { minLength: size, maxLength: size }),
          triggered: fc.array(fc.boolean(), { minLength: size, maxLength: size }),
          goals: fc.array(fc.boolean(), { minLength: size, maxLength: size }),
        }),
      );
    fc.assert(
      fc.property(graphArb, ({ size, edges, triggered, goals }) => {
        const g = labelled(Object.fromEntries(edges.map((e, s) => [s, e])), size);
        const trigger = (s: number) => triggered[s]!;
        const goal = (s: number) => goals[s]!;
        const lasso: Lasso<string> | undefined = findFairLasso(g, trigger, goal, { roots: [0] });
        if (!lasso) return;
        // The lasso is a walk from the root, triggered at its start, the goal never holding from there on.
        expect(follow(g, lasso.root, lasso.prefix)).toBe(lasso.start);
        expect(trigger(lasso.start) && !goal(lasso.start)).toBe(true);
        expect(follow(g, lasso.start, lasso.stem)).toBe(lasso.loopState);
        expect(follow(g, lasso.loopState, lasso.loop)).toBe(lasso.loopState);
        expect([...lasso.stem, ...lasso.loop].some((s) => goal(s.to))).toBe(false);
        if (lasso.loop.length === 0) expect(stutters(g, lasso.loopState)).toBe(true);
        else expect(walkIsFair(g, lasso.loop)).toBe(true);
        // No fair closed walk through the entry is shorter (a stutter, of length 0, is the shortest of all).
        const notGoal = (s: number) => !goal(s);
        if (lasso.loop.length > 0) expect(someClosedWalk(g, lasso.loopState, notGoal, lasso.loop.length - 1, (w) => walkIsFair(g, w))).toBe(false);
        // Brute force: distances from the root, then from each triggered state through non-goal states.
        const distance = (sources: number[], allowed: (s: number) => boolean) => {
          const d = new Map(sources.map((s) => [s, 0]));
          const queue = [...sources];
          for (let i = 0; i < queue.length; i++) for (const t of g.successors(queue[i]!)) if (allowed(t) && !d.has(t)) d.set(t, d.get(queue[i]!)! + 1), queue.push(t);
          return d;
        };
        const fromRoot = distance([0], () => true);
        const loopable = (e: number) => stutters(g, e) || someClosedWalk(g, e, notGoal, 10, (w) => walkIsFair(g, w));
        let best = Infinity;
        for (const [start, d0] of fromRoot) {
          if (!trigger(start) || goal(start)) continue;
          for (const [e, d1] of distance([start], notGoal)) if (loopable(e)) best = Math.min(best, d0 + d1);
        }
        expect(lasso.prefix.length + lasso.stem.length).toBeLessThanOrEqual(best);
      }),
      { numRuns: 300, seed: 17 },
    );
  });
});
