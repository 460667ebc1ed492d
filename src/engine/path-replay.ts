import type { TransitionSystem } from './transition-system.js';
import type { FingerprintStore } from './visited-store.js';

/**
 * States and paths of a fingerprint-mode search, which keeps no states: the
 * parent indices lead back to a root, and replaying the recorded action
 * indices from that root re-derives every state on the way (actions are
 * enabled in a canonical order, so index i names the same action again).
 */
export class PathReplay<S, A> {
  constructor(
    private readonly system: Pick<TransitionSystem<S, A>, 'actions' | 'nextState'>,
    private readonly store: Pick<FingerprintStore<S>, 'roots' | 'parentOf' | 'actionOf'>,
  ) {}

  /** The actions from the root to the state with index `stateIndex`. */
  pathTo(stateIndex: number): A[] {
    return this.walk(stateIndex).actions;
  }

  stateAt(stateIndex: number): S {
    return this.walk(stateIndex).state;
  }

  private walk(stateIndex: number): { state: S; actions: A[] } {
    const chain: number[] = [];
    let i = stateIndex;
    for (; this.store.parentOf(i) >= 0; i = this.store.parentOf(i)) chain.push(i);
    // Roots are the first states stored, in order: a root's index is its place among them.
    let state: S = this.store.roots[i]!;
    const actions: A[] = [];
    for (let k = chain.length - 1; k >= 0; k--) {
      const action = this.system.actions(state)[this.store.actionOf(chain[k]!)]!;
      actions.push(action);
      state = this.system.nextState(state, action);
    }
    return { state, actions };
  }
}
