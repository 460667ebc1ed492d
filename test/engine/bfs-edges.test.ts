import { describe, expect, it } from 'vitest';
import { breadthFirst, type BfsProgress } from '../../src/engine/bfs.js';
import { graph } from './graph.js';

/** A chain 0 → 1 → … → n-1. */
const chain = (n: number) => graph(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, i + 1 < n ? [i + 1] : []])));
const reach = (target: number) => ({ name: `reach-${target}`, kind: 'always' as const, test: (s: number) => (s === target ? `at ${target}` : undefined) });

describe('breadth-first search at its edges', () => {
  it('grows past its first arrays: a 3,000-state chain keeps every parent and depth', () => {
    const result = breadthFirst(chain(3000), [reach(2999)]);
    const finding = result.findings.get('reach-2999')!;
    expect(finding.depth).toBe(2999);
    expect(result.pathTo(finding.stateIndex)).toEqual(Array.from({ length: 2999 }, (_, i) => i + 1));
    expect(result).toMatchObject({ states: 3000, depth: 2999 });
  });

  it('stops once every check has its finding, unless asked to exhaust the space', () => {
    const early = breadthFirst(chain(50), [reach(3)]);
    expect(early.states).toBeLessThan(50);
    expect(early.complete).toBe(false);
    const all = breadthFirst(chain(50), [reach(3)], { exhaustAll: true });
    expect(all).toMatchObject({ states: 50, transitions: 49, complete: true });
    expect(all.findings.get('reach-3')).toMatchObject({ depth: 3, statesSoFar: 4, transitionsSoFar: 3 });
    // A check never satisfied keeps the search going to the end.
    expect(breadthFirst(chain(50), [reach(3), reach(99)])).toMatchObject({ states: 50, complete: true });
  });

  it('counts false and null as no witness', () => {
    const never = [false, null, undefined].map((w, i) => ({ name: `n${i}`, kind: 'always' as const, test: () => w }));
    expect(breadthFirst(chain(5), never).findings.size).toBe(0);
  });

  it('checks deadlocks once per expanded state, each on its own', () => {
    const seen: number[] = [];
    const deadlock = { name: 'deadlock', kind: 'deadlock' as const, test: (s: number, actions?: readonly number[]) => (seen.push(s), actions!.length === 0 ? 'stuck' : undefined) };
    const result = breadthFirst(chain(4), [deadlock]);
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(result.findings.get('deadlock')).toMatchObject({ depth: 3, witness: 'stuck' });
    // A deadlock check found does not run again; a state check beside it still runs.
    const twice = breadthFirst(graph({ 0: [1, 2], 1: [], 2: [] }), [deadlock, reach(2)]);
    expect(twice.findings.get('deadlock')!.stateIndex).toBe(1);
    expect(twice.findings.has('reach-2')).toBe(true);
  });

  it('a depth bound is incomplete only if actions remain beyond it', () => {
    expect(breadthFirst(chain(4), [], { maxDepth: 3 })).toMatchObject({ states: 4, complete: true });
    expect(breadthFirst(chain(4), [], { maxDepth: 2 })).toMatchObject({ states: 3, complete: false });
  });

  it('a state bound keeps exactly that many states; one equal to the space loses nothing', () => {
    expect(breadthFirst(chain(10), [], { maxStates: 4 })).toMatchObject({ states: 4, complete: false });
    // Successors already seen are not "beyond the bound".
    const loop = graph({ 0: [1], 1: [2], 2: [0, 1] });
    expect(breadthFirst(loop, [], { maxStates: 3 })).toMatchObject({ states: 3, transitions: 4, complete: true });
  });

  it('reports progress every so many expanded states, and stops with the reason stopWhen gives', () => {
    const told: BfsProgress[] = [];
    breadthFirst(chain(25), [], { onProgress: (p) => told.push({ ...p }), progressEvery: 10 });
    expect(told).toEqual([
      { states: 12, transitions: 11, queue: 1, depth: 10 },
      { states: 22, transitions: 21, queue: 1, depth: 20 },
    ]);
    const asked: BfsProgress[] = [];
    const stopped = breadthFirst(chain(10_000), [], { stopWhen: (p) => (asked.push({ ...p }), p.states > 8000 ? 'enough' : undefined) });
    expect(stopped).toMatchObject({ stopped: 'enough', complete: false });
    expect(asked[0]).toEqual({ states: 4098, transitions: 4097, queue: 1, depth: 4096 });
    expect(stopped.states).toBe(8194);
  });

  it('records edges only when asked, with their actions in order', () => {
    const g = graph({ 0: [2, 1], 1: [2], 2: [] });
    expect(breadthFirst(g, []).edges).toBeUndefined();
    const { edges } = breadthFirst(g, [], { recordEdges: true });
    // States are numbered in discovery order: 0, then 2 (index 1), then 1 (index 2).
    expect([0, 1, 2].map((i) => edges!.successors(i))).toEqual([[1, 2], [], [1]]);
    expect([0, 1, 2].map((i) => edges!.labels(i))).toEqual([[2, 1], [], [2]]);
    expect(edges!.successors(99)).toEqual([]);
  });

  it('names where a throwing system or check threw', () => {
    const badInit = { ...chain(2), initialStates: () => { throw new Error('no start'); } };
    expect(breadthFirst(badInit, [])).toMatchObject({ failure: { stateIndex: -1, actionIndex: -1 }, complete: false, states: 0 });
    const badActions = { ...chain(3), actions: (s: number) => { if (s === 1) throw new Error('no actions'); return [s + 1]; } };
    expect(breadthFirst(badActions, [])).toMatchObject({ failure: { stateIndex: 1, actionIndex: -1 }, complete: false });
    const badCheck = { name: 'throws', kind: 'always' as const, test: (s: number) => { if (s === 2) throw new Error('check broke'); return undefined; } };
    const result = breadthFirst(chain(5), [badCheck]);
    expect(result.failure).toMatchObject({ stateIndex: 2, actionIndex: -1 });
    expect((result.failure!.error as Error).message).toBe('check broke');
    expect(result.complete).toBe(false);
  });

  it('starts from every initial state, each at depth 0, and paths end at their own root', () => {
    const g = graph({ 0: [1], 1: [], 5: [6], 6: [] }, [0, 5]);
    const result = breadthFirst(g, [reach(6)]);
    expect(result.findings.get('reach-6')).toMatchObject({ depth: 1 });
    expect(result.pathTo(result.findings.get('reach-6')!.stateIndex)).toEqual([6]);
  });
});
