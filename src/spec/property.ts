import type { Contexts, ProcessView, WorldView } from '../world/world-view.js';

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

/**
 * A faster road to the same verdict, for a property that reads only the
 * processes' own states: named facts of one process's state, each worked out
 * once per distinct local state, and a function of how many of the chosen
 * processes each fact holds for, telling whether the property's own function
 * would find something here (a violation for `always`, the state sought for
 * `sometimes`). The explorer runs the property's own function, for its
 * witness, only where `finds` says yes; a test checks the two agree.
 */
export interface LocalFacts {
  /** The processes the facts are asked of, from all the world's names (all of them when absent). */
  processes?(names: readonly string[]): readonly string[];
  facts: Record<string, (process: ProcessView) => boolean>;
  /** `counts[fact]`: how many of the chosen processes the fact holds for; `chosen`: how many were chosen. */
  finds(counts: Readonly<Record<string, number>>, chosen: number): boolean;
}

interface PropertyBase {
  name: string;
  /** The property in plain words, one sentence. */
  statement: string;
  guards?: SourceRef;
  /** Only for `always` and `sometimes`: see `LocalFacts`. */
  localFacts?: LocalFacts;
}

/**
 * Must hold in every reachable state: `check` returns undefined when it does, else a witness.
 * `C` types the contexts the property reads (`always<MyContexts>({ ... })`); any by default.
 */
export interface AlwaysProperty<C extends Contexts = any> extends PropertyBase {
  kind: 'always';
  check(world: WorldView<C>): Witness | string | undefined;
  /** Called by stories on the state that breaks the property (kept apart from `check`, whose witness must cross worker threads). */
  explain?(world: WorldView<C>): Explanation | undefined;
}

/** Must hold in some reachable state, so a fixed variant cannot pass by doing nothing. */
export interface SometimesProperty<C extends Contexts = any> extends PropertyBase {
  kind: 'sometimes';
  reached(world: WorldView<C>): boolean;
}

/** Every state where no protocol action is enabled must be a declared terminal state. */
export interface DeadlockFreeProperty<C extends Contexts = any> extends PropertyBase {
  kind: 'deadlock-free';
  terminal(world: WorldView<C>): boolean;
}

/**
 * Liveness (leads-to) under weak fairness: from every reachable state where
 * `trigger` holds, every fair behaviour eventually reaches a state where `goal`
 * holds. Fault actions are never owed fairness: a behaviour may simply stop
 * suffering faults. Without `trigger`, the goal is owed from the initial state.
 */
export interface EventuallyProperty<C extends Contexts = any> extends PropertyBase {
  kind: 'eventually';
  trigger?(world: WorldView<C>): boolean;
  goal(world: WorldView<C>): boolean;
  /** Called by stories on the state a counterexample's loop returns to (or stays in): why the goal is out of reach there. */
  explain?(world: WorldView<C>): Explanation | undefined;
}

export type Property = AlwaysProperty | SometimesProperty | DeadlockFreeProperty | EventuallyProperty;

// Each returns the untyped property, so that properties of different context types sit in one model's list.
export const always = <C extends Contexts = any>(p: Omit<AlwaysProperty<C>, 'kind'>): AlwaysProperty => ({ kind: 'always', ...p }) as AlwaysProperty;
export const sometimes = <C extends Contexts = any>(p: Omit<SometimesProperty<C>, 'kind'>): SometimesProperty => ({ kind: 'sometimes', ...p }) as SometimesProperty;
export const eventually = <C extends Contexts = any>(p: Omit<EventuallyProperty<C>, 'kind'>): EventuallyProperty => ({ kind: 'eventually', ...p }) as EventuallyProperty;
export const deadlockFree = <C extends Contexts = any>(p: Omit<DeadlockFreeProperty<C>, 'kind'>): DeadlockFreeProperty => ({ kind: 'deadlock-free', ...p }) as DeadlockFreeProperty;

export function toWitness(result: Witness | string): Witness {
  return typeof result === 'string' ? { message: result } : result;
}
