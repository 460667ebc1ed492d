import { describe, expect, it } from 'vitest';
import { findFairLasso } from '../../src/engine/liveness.js';
import { labelled } from './graph.js';

const at = (...states: number[]) => (s: number) => states.includes(s);
const never = () => false;
const names = (steps: Array<{ action: string }>) => steps.map((s) => s.action);

describe('fair lassos, every field', () => {
  it('a stem through a triggered state to a fair two-state loop: root, prefix, start, stem, loop and loop state', () => {
    // 0 → 1 (goal) → 2 (trigger) → 3 ⇄ 4; the prefix may pass the goal, the stem starts at the trigger.
    const g = labelled({ 0: [['a', 1]], 1: [['b', 2]], 2: [['c', 3]], 3: [['d', 4]], 4: [['e', 3]] }, 5);
    const lasso = findFairLasso(g, at(2), at(1), { roots: [0] })!;
    expect({ root: lasso.root, start: lasso.start, loopState: lasso.loopState, loopShortest: lasso.loopShortest }).toEqual({ root: 0, start: 2, loopState: 3, loopShortest: true });
    expect(lasso.prefix).toEqual([
      { from: 0, action: 'a', to: 1 },
      { from: 1, action: 'b', to: 2 },
    ]);
    expect(lasso.stem).toEqual([{ from: 2, action: 'c', to: 3 }]);
    expect(lasso.loop).toEqual([
      { from: 3, action: 'd', to: 4 },
      { from: 4, action: 'e', to: 3 },
    ]);
    // Without roots the behaviour starts at the triggered state itself.
    const free = findFairLasso(g, at(2), at(1))!;
    expect({ root: free.root, start: free.start, prefix: free.prefix, stem: names(free.stem) }).toEqual({ root: 2, start: 2, prefix: [], stem: ['c'] });
  });

  it('a root that cannot reach a bad state gives no lasso, though another triggered state elsewhere has one', () => {
    const g = labelled({ 0: [['a', 1]], 1: [['a', 1], ['b', 9]], 5: [['c', 5]] }, 10);
    expect(findFairLasso(g, at(0, 5), at(9), { roots: [0] })).toBeUndefined();
    expect(findFairLasso(g, at(0, 5), at(9))!.start).toBe(5);
  });

  it('no triggered state, or the trigger only where the goal holds: nothing is owed', () => {
    const g = labelled({ 0: [['a', 0]] }, 1);
    expect(findFairLasso(g, never, never)).toBeUndefined();
    expect(findFairLasso(g, at(0), at(0))).toBeUndefined();
  });

  it('more than 30 owed actions at the entry: the loop is built greedily, and still fair', () => {
    // 0 has n self-loops, each a different fair action: only a loop taking every one of them is fair.
    const loops = (n: number) => labelled({ 0: Array.from({ length: n }, (_, i) => [`x${i}`, 0] as [string, number]) }, 1);
    const many = findFairLasso(loops(31), at(0), never)!;
    expect(many.loopShortest).toBe(false);
    expect(new Set(names(many.loop)).size).toBe(31);
    // A few owed actions: the shortest fair loop takes each once (30 would be exact too, but its 2^30 done-sets are slow to search).
    const three = findFairLasso(loops(3), at(0), never)!;
    expect(three.loopShortest).toBe(true);
    expect(names(three.loop)).toEqual(['x0', 'x1', 'x2']);
  });

  it('an action disabled somewhere on the loop is not owed: the shortest fair loop may skip it', () => {
    // At 0 both a and w are enabled; at 1, w is not. 0 → 1 → 0 by a, b disables w on the way, so it is fair.
    const g = labelled({ 0: [['a', 1], ['w', 2]], 1: [['b', 0]], 2: [['z', 2]] }, 3);
    const lasso = findFairLasso(g, at(0), at(2))!;
    expect(names(lasso.loop)).toEqual(['a', 'b']);
    expect(lasso.loopShortest).toBe(true);
  });

  it('prefers a stutter to a loop at the same distance, and the nearer entry to a farther one', () => {
    // From 0: state 1 stutters (only a fault is enabled), state 2 loops; both one step away.
    const g = labelled({ 0: [['a', 2], ['b', 1]], 1: [['fault-x', 1]], 2: [['c', 2]] }, 3);
    const lasso = findFairLasso(g, at(0), never, { roots: [0] })!;
    expect({ loopState: lasso.loopState, loop: lasso.loop }).toEqual({ loopState: 1, loop: [] });
    // A component of faults only is no fair loop, but each of its states stutters: the nearest is taken.
    const faults = labelled({ 0: [['fault-a', 1]], 1: [['fault-b', 0]] }, 2);
    expect(findFairLasso(faults, at(0), never)).toMatchObject({ loopState: 0, loop: [], stem: [] });
  });

  it('an owed behaviour never passes the goal: a bad state beyond it counts only if reached another way', () => {
    // 0 (trigger) → 1 (goal) → 2 (stuck); 3 (trigger) → 2. From root 0 the goal comes before 2: nothing owed is missed.
    const g = labelled({ 0: [['a', 1]], 1: [['b', 2]], 3: [['c', 2]] }, 4);
    expect(findFairLasso(g, at(0, 3), at(1), { roots: [0] })).toBeUndefined();
    expect(findFairLasso(g, at(0, 3), at(1), { roots: [3] })).toMatchObject({ start: 3, loopState: 2, loop: [] });
  });
});
