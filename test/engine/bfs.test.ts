import { describe, expect, it } from 'vitest';
import { breadthFirst } from '../../src/engine/bfs.js';
import { graph } from './graph.js';

const bad = (target: number) => ({ name: `reach-${target}`, kind: 'always' as const, test: (s: number) => (s === target ? `at ${target}` : undefined) });

describe('breadth-first search on hand-made graphs', () => {
  // 0 → 1 → 2 → 3 → 6 (long way) and 0 → 4 → 5 → 6 (same length) and 0 → 7 → 6 (short way)
  const g = graph({ 0: [1, 4, 7], 1: [2], 2: [3], 3: [6], 4: [5], 5: [6], 7: [6], 6: [] });

  it('finds the shortest path to a violation', () => {
    const result = breadthFirst(g, [bad(6)]);
    const finding = result.findings.get('reach-6')!;
    expect(result.pathTo(finding.stateIndex)).toEqual([7, 6]);
    expect(finding.depth).toBe(2);
    expect(finding.witness).toBe('at 6');
  });

  it('counts every state and edge and the diameter when nothing is violated', () => {
    const result = breadthFirst(g, [bad(99)]);
    expect(result).toMatchObject({ states: 8, transitions: 9, depth: 3, complete: true });
    expect(result.findings.size).toBe(0);
  });

  it('reports a bound as incomplete, never as a complete search', () => {
    expect(breadthFirst(g, [bad(99)], { maxStates: 4 }).complete).toBe(false);
    expect(breadthFirst(g, [bad(99)], { maxDepth: 1 }).complete).toBe(false);
    expect(breadthFirst(g, [bad(99)], { maxDepth: 1 }).findings.size).toBe(0);
  });

  it('treats a sometimes check as found when any state satisfies it', () => {
    const result = breadthFirst(g, [{ name: 'visits-5', kind: 'sometimes', test: (s: number) => s === 5 }]);
    expect(result.pathTo(result.findings.get('visits-5')!.stateIndex)).toEqual([4, 5]);
  });

  it('finds deadlocks when a state is expanded, with its actions', () => {
    const deadlock = { name: 'deadlock', kind: 'deadlock' as const, test: (s: number, actions?: readonly number[]) => (actions!.length === 0 && s !== 6 ? 'stuck' : undefined) };
    expect(breadthFirst(g, [deadlock]).findings.has('deadlock')).toBe(false);
    const stuck = breadthFirst(graph({ 0: [1, 2], 1: [], 2: [0] }), [deadlock]);
    expect(stuck.pathTo(stuck.findings.get('deadlock')!.stateIndex)).toEqual([1]);
  });

  it('takes successors in the order the system gives them', () => {
    const twoWays = graph({ 0: [2, 1], 1: [3], 2: [3], 3: [] });
    const result = breadthFirst(twoWays, [bad(3)]);
    expect(result.pathTo(result.findings.get('reach-3')!.stateIndex)).toEqual([2, 3]);
  });

  it('reports a system that throws as a failure at the state where it threw', () => {
    const throwing = { ...graph({ 0: [1], 1: [2] }), nextState: (s: number, a: number) => { if (a === 2) throw new Error('boom'); return a; } };
    const result = breadthFirst(throwing, [bad(99)]);
    expect(result.failure).toMatchObject({ actionIndex: 0 });
    expect(result.complete).toBe(false);
  });
});

it('explores the whole space when there is nothing to check', () => {
  expect(breadthFirst(graph({ 0: [1], 1: [2], 2: [] }), [])).toMatchObject({ states: 3, complete: true });
});
