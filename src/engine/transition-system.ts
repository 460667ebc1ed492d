/**
 * The one interface every explorer works over (after Stateright's `Model`):
 * initial states, the actions enabled in a state in a canonical order, and the
 * state an action leads to. Explorers know nothing else about what they explore,
 * so a hand-made graph tests them as well as a world of machines does.
 */
export interface TransitionSystem<State, Action> {
  initialStates(): State[];
  /** Enabled actions, always in the same order for the same state. */
  actions(state: State): Action[];
  nextState(state: State, action: Action): State;
  /** A canonical key: equal keys mean the same state. */
  key(state: State): string;
}
