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
