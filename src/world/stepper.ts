import { createActor, initialTransition, transition, type AnyActorScope, type AnyMachineSnapshot, type AnyStateMachine, type EventObject } from 'xstate';

/** What one pure step of a machine yields: the next snapshot and the actions it asked for (not executed). */
export type StepResult = readonly [AnyMachineSnapshot, ReadonlyArray<{ type: string; params?: unknown }>];

export interface Stepper {
  initial(machine: AnyStateMachine, input: unknown): StepResult;
  step(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: EventObject): StepResult;
}

/** xstate's public pure API: builds a throw-away actor for every call (about 90 µs a step). */
export const publicStepper: Stepper = {
  initial: (machine, input) => initialTransition(machine, input) as unknown as StepResult,
  step: (machine, snapshot, event) => transition(machine, snapshot, event) as unknown as StepResult,
};

interface ReusedScope {
  scope: AnyActorScope;
  collected: Array<{ type: string; params?: unknown }>;
}

/**
 * The same semantics as `transition()`, with one inert actor scope per machine
 * reused across calls instead of one actor per call (about 7x faster). The
 * scope's shape mirrors xstate's own `createInertActorScope`; a test compares
 * this stepper with `publicStepper` on random walks so an xstate upgrade that
 * changes the shape is caught. Machines must not spawn or invoke children.
 */
export function createFastStepper(): Stepper {
  const scopes = new Map<AnyStateMachine, ReusedScope>();
  const scopeFor = (machine: AnyStateMachine): ReusedScope => {
    let entry = scopes.get(machine);
    if (!entry) {
      const self = createActor(machine, { input: {} });
      const collected: Array<{ type: string; params?: unknown }> = [];
      const scope = {
        self,
        system: self.system,
        id: '',
        sessionId: '',
        defer() {},
        logger() {},
        stopChild() {},
        emit() {},
        actionExecutor: (action: { type: string; params?: unknown }) => collected.push(action),
      } as unknown as AnyActorScope;
      entry = { scope, collected };
      scopes.set(machine, entry);
    }
    entry.collected.length = 0;
    return entry;
  };
  return {
    initial(machine, input) {
      const { scope, collected } = scopeFor(machine);
      const snapshot = machine.getInitialSnapshot(scope, input);
      return [snapshot, collected.slice()];
    },
    step(machine, snapshot, event) {
      const { scope, collected } = scopeFor(machine);
      (scope.self as unknown as { _snapshot: unknown })._snapshot = snapshot;
      const next = machine.transition(snapshot, event, scope);
      return [next, collected.slice()];
    },
  };
}
