import type { ExploredGraph } from '../../src/engine/liveness.js';
import type { TransitionSystem } from '../../src/engine/transition-system.js';

/** A hand-made directed graph as a transition system: actions are the target node numbers. */
export function graph(edges: Record<number, number[]>, initial: number[] = [0]): TransitionSystem<number, number> {
  return {
    initialStates: () => initial,
    actions: (s) => edges[s] ?? [],
    nextState: (_s, a) => a,
    key: (s) => String(s),
  };
}

/** A graph written out by hand: state → [action, target] pairs; actions named fault* are owed no fairness. */
export function labelled(edges: Record<number, Array<[string, number]>>, size: number): ExploredGraph<string> {
  return {
    size,
    successors: (s) => (edges[s] ?? []).map(([, t]) => t),
    labels: (s) => (edges[s] ?? []).map(([a]) => a),
    isFair: (a) => !a.startsWith('fault'),
  };
}
