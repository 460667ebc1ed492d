import { describe, expect, it } from 'vitest';
import { findFairLasso, type ExploredGraph, type LassoStep } from '../../src/engine/liveness.js';
import { labelled } from './graph.js';

const at = (...states: number[]) => (s: number) => states.includes(s);

/** A lasso read back as one walk: stem then loop, each step leaving where the previous one arrived. */
function expectConnected(start: number, steps: LassoStep<string>[], g: ExploredGraph<string>) {
  let here = start;
  for (const step of steps) {
    expect(step.from).toBe(here);
    const k = g.successors(step.from).findIndex((t, i) => t === step.to && g.labels(step.from)[i] === step.action);
    expect(k, `${step.from} -${step.action}-> ${step.to} is an edge`).toBeGreaterThanOrEqual(0);
    here = step.to;
  }
  return here;
}

describe('fair lassos at their edges', () => {
  it('skips a triggered state that cannot reach a bad one and starts from the next that can', () => {
    // 0 reaches the goal 1; 2 is also triggered and spins at 3 for ever.
    const g = labelled({ 0: [['a', 1]], 2: [['b', 3]], 3: [['spin', 3]] }, 4);
    const lasso = findFairLasso(g, at(0, 2), at(1))!;
    expect(lasso.start).toBe(2);
    expect(lasso.stem.map((s) => s.action)).toEqual(['b']);
    expect(lasso.loop.map((s) => s.action)).toEqual(['spin']);
    expect(lasso.loopState).toBe(3);
  });

  it('finds none when every cycle passes the goal, however many triggered states there are', () => {
    const g = labelled({ 0: [['a', 1]], 1: [['b', 2]], 2: [['c', 0]] }, 3);
    expect(findFairLasso(g, at(0, 1, 2), at(2))).toBeUndefined();
    expect(findFairLasso(g, () => true, () => false)!.loop).toHaveLength(3);
  });

  it('takes every action enabled all along its loop, and returns to where it began', () => {
    // x and y are enabled at both states: a fair loop takes both.
    const g = labelled({ 0: [['x', 1], ['y', 0]], 1: [['x', 1], ['y', 0]] }, 2);
    const lasso = findFairLasso(g, at(0), () => false)!;
    const end = expectConnected(lasso.loopState, lasso.loop, g);
    expect(end).toBe(lasso.loopState);
    expect(new Set(lasso.loop.map((s) => s.action))).toEqual(new Set(['x', 'y']));
  });

  it('leaves an unfair component for a fair one downstream, never through the goal', () => {
    // {0,1} circle while 'out' is enabled at both and never taken inside: unfair. {3,4} circle fairly. 2 is the goal.
    const g = labelled({ 0: [['p', 1], ['out', 3], ['fault-g', 2]], 1: [['q', 0], ['out', 3]], 3: [['r', 4]], 4: [['s', 3]] }, 5);
    const lasso = findFairLasso(g, at(0), at(2))!;
    const entry = expectConnected(lasso.start, lasso.stem, g);
    expect(entry).toBe(lasso.loopState);
    expect([3, 4]).toContain(lasso.loopState);
    expect(lasso.stem.some((s) => s.to === 2)).toBe(false);
    expect(expectConnected(lasso.loopState, lasso.loop, g)).toBe(lasso.loopState);
  });

  it('a component whose states each lack a self-loop but form a cycle is a loop; a lone state without one is not', () => {
    // 0 → 1 → 0 (a cycle), and 2 → 3 (goal) only.
    const g = labelled({ 0: [['a', 1]], 1: [['b', 0]], 2: [['c', 3]] }, 4);
    expect(findFairLasso(g, at(0), at(3))!.loop.map((s) => s.action)).toEqual(['a', 'b']);
    expect(findFairLasso(g, at(2), at(3))).toBeUndefined();
  });

  it('judges fairness per component: a fair action enabled everywhere in a big cycle but taken only once still counts', () => {
    // Ring 0 → 1 → 2 → 3 → 0 by 'n'; 'k' is enabled everywhere and taken only on 3 → 0 (as the ring's last edge).
    const g = labelled({ 0: [['n', 1], ['k', 0]], 1: [['n', 2], ['k', 1]], 2: [['n', 3], ['k', 2]], 3: [['k', 0]] }, 4);
    const lasso = findFairLasso(g, at(0), () => false)!;
    expect(lasso.loop.map((s) => s.action)).toContain('k');
    expect(expectConnected(lasso.loopState, lasso.loop, g)).toBe(lasso.loopState);
  });
});
