import type { Contexts, WorldView } from '../world/world-view.js';

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

interface PropertyBase {
  name: string;
  /** The property in plain words, one sentence. */
  statement: string;
  guards?: SourceRef;
}

/**
 * Must hold in every reachable state: `check` returns undefined when it does, else a witness.
 * `C` types the contexts the property reads (`always<MyContexts>({ ... })`); any by default.
 */
export interface AlwaysProperty<C extends Contexts = any> extends PropertyBase {
  kind: 'always';
  check(world: WorldView<C>): Witness | string | undefined;
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
