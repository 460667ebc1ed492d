import { describe, expect, it } from 'vitest';
import { findFairLasso } from '../../src/engine/liveness.js';
import { labelled } from './graph.js';

const from0 = (s: number) => s === 0;
const at = (...goal: number[]) => (s: number) => goal.includes(s);
const actions = (steps: Array<{ action: string }>) => steps.map((s) => s.action);

describe('fair lassos on hand-made graphs', () => {
  it('finds a fair cycle that never reaches the goal', () => {
    // 0 ⇄ 1, and 1 could leave for the goal 2; leaving is not continuously enabled, so circling is fair.
    const g = labelled({ 0: [['a', 1]], 1: [['b', 0], ['c', 2]] }, 3);
    const lasso = findFairLasso(g, from0, at(2))!;
    expect(lasso.start).toBe(0);
    expect(actions(lasso.loop)).toEqual(['a', 'b']);
  });

  it('does not count an unfair cycle: a self-loop that ignores an always-enabled way out', () => {
    const g = labelled({ 0: [['spin', 0], ['done', 1]] }, 2);
    expect(findFairLasso(g, from0, at(1))).toBeUndefined();
  });

  it('counts a self-loop when nothing else is enabled', () => {
    const g = labelled({ 0: [['spin', 0]] }, 1);
    const lasso = findFairLasso(g, from0, at())!;
    expect(actions(lasso.loop)).toEqual(['spin']);
    expect(lasso.loopState).toBe(0);
  });

  it('finds a stutter at a terminal state that is not the goal', () => {
    const g = labelled({ 0: [['a', 1]] }, 2);
    const lasso = findFairLasso(g, from0, at(5))!;
    expect(actions(lasso.stem)).toEqual(['a']);
    expect(lasso.loop).toEqual([]);
    expect(lasso.loopState).toBe(1);
  });

  it('owes no fairness to faults: stopping them is allowed, repeating them is not forced', () => {
    // Only a fault can move state 0 on: the behaviour may stay there forever.
    expect(findFairLasso(labelled({ 0: [['fault-drop', 1]], 1: [['a', 2]] }, 3), from0, at(2))!.loopState).toBe(0);
    // A cycle of faults ignoring a fair way out is unfair.
    expect(findFairLasso(labelled({ 0: [['fault-cut', 1], ['a', 2]], 1: [['fault-heal', 0], ['a', 2]] }, 3), from0, at(2))).toBeUndefined();
  });

  it('only owes the goal after the trigger', () => {
    // 0 → 1 → 2 → 2 (spin); the goal holds at 1 only. From 0 the goal is reached; a trigger at 2 is never followed by it.
    const g = labelled({ 0: [['a', 1]], 1: [['b', 2]], 2: [['spin', 2]] }, 3);
    expect(findFairLasso(g, from0, at(1))).toBeUndefined();
    expect(findFairLasso(g, at(2), at(1))!.start).toBe(2);
  });

  it('builds a fair loop that takes an action enabled everywhere on it', () => {
    // In {0,1,2}, x is enabled at every state and taken only on 2 → 0; the loop must include it.
    const g = labelled({ 0: [['a', 1], ['x', 0]], 1: [['b', 2], ['x', 1]], 2: [['x', 0]] }, 3);
    const lasso = findFairLasso(g, from0, at(9))!;
    expect(lasso.loop.map((s) => s.from)[0]).toBe(lasso.loopState);
    expect(lasso.loop[lasso.loop.length - 1]!.to).toBe(lasso.loopState);
    expect(actions(lasso.loop)).toContain('x');
  });
});
