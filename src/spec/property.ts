import type { WorldView } from '../world/world-view.js';

/** The passage of a requirement (here, the postmortem) that a property guards. */
export interface SourceRef {
  section: string;
  quote: string;
}

/** Evidence that a property is broken (or, for `sometimes`, that the sought state was reached). */
export interface Witness {
  /** One plain sentence naming processes and values. */
  message: string;
  /** The processes the witness is about; stories say since which step each has been as it is. */
  processes?: string[];
}

/**
 * A fact of the state where a property is found broken, with the test that
 * tells whether it already held in an earlier state: the story dates it by the
 * step that last made it true, so a property never counts steps itself.
 */
export interface Fact {
  /** The fact and its reason, in words: "n2 is primary because the authority granted it epoch 2". */
  says: string;
  holds(world: WorldView): boolean;
}

/**
 * Why a property is broken, as a contradiction: facts that cannot all hold
 * together (the last introduced by "however"), and what follows from them.
 * Told as "X (step i); however Y (step j): so Z".
 */
export interface Explanation {
  facts: Fact[];
  so: string;
}

interface PropertyBase {
  name: string;
  /** The property in plain words, one sentence. */
  statement: string;
  guards?: SourceRef;
}

/** Must hold in every reachable state: `check` returns undefined when it does, else a witness. */
export interface AlwaysProperty extends PropertyBase {
  kind: 'always';
  check(world: WorldView): Witness | string | undefined;
  /** Called by stories on the state that breaks the property (kept apart from `check`, whose witness must cross worker threads). */
  explain?(world: WorldView): Explanation | undefined;
}

/** Must hold in some reachable state, so a fixed variant cannot pass by doing nothing. */
export interface SometimesProperty extends PropertyBase {
  kind: 'sometimes';
  reached(world: WorldView): boolean;
}

/** Every state where no protocol action is enabled must be a declared terminal state. */
export interface DeadlockFreeProperty extends PropertyBase {
  kind: 'deadlock-free';
  terminal(world: WorldView): boolean;
}

/**
 * Liveness (leads-to) under weak fairness: from every reachable state where
 * `trigger` holds, every fair behaviour eventually reaches a state where `goal`
 * holds. Fault actions are never owed fairness: a behaviour may simply stop
 * suffering faults. Without `trigger`, the goal is owed from the initial state.
 */
export interface EventuallyProperty extends PropertyBase {
  kind: 'eventually';
  trigger?(world: WorldView): boolean;
  goal(world: WorldView): boolean;
  /** Called by stories on the state a counterexample's loop returns to (or stays in): why the goal is out of reach there. */
  explain?(world: WorldView): Explanation | undefined;
}

export type Property = AlwaysProperty | SometimesProperty | DeadlockFreeProperty | EventuallyProperty;

export const always = (p: Omit<AlwaysProperty, 'kind'>): AlwaysProperty => ({ kind: 'always', ...p });
export const sometimes = (p: Omit<SometimesProperty, 'kind'>): SometimesProperty => ({ kind: 'sometimes', ...p });
export const eventually = (p: Omit<EventuallyProperty, 'kind'>): EventuallyProperty => ({ kind: 'eventually', ...p });
export const deadlockFree = (p: Omit<DeadlockFreeProperty, 'kind'>): DeadlockFreeProperty => ({ kind: 'deadlock-free', ...p });

export function toWitness(result: Witness | string): Witness {
  return typeof result === 'string' ? { message: result } : result;
}
