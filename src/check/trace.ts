import type { ActionDescriptor, WorldAction } from '../world/actions.js';
import type { Property, Witness } from '../spec/property.js';
import { evaluate, type ModelInstance } from './instance.js';

/** Why a sequence of steps cannot be replayed on a model. */
export class ReplayError extends Error {
  constructor(
    readonly step: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Replayed {
  states: string[];
  actions: WorldAction[];
}

/** Applies the steps one by one from the initial state; a step that is not enabled stops the replay with a ReplayError. */
export function replaySteps(instance: ModelInstance, steps: readonly ActionDescriptor[]): Replayed {
  const world = instance.world;
  const states = [world.initialStates()[0]!];
  const actions: WorldAction[] = [];
  steps.forEach((descriptor, i) => {
    const state = states[states.length - 1]!;
    const action = world.findAction(state, descriptor);
    if (!action) throw new ReplayError(i + 1, `step ${i + 1} (${JSON.stringify(descriptor)}) is not possible at that point`);
    actions.push(action);
    states.push(world.nextState(state, action));
  });
  return { states, actions };
}

/**
 * The first point along a replay where the property is broken (for `always` and
 * deadlock) or reached (for `sometimes`): the index into `states`, or -1.
 */
export function firstFinding(instance: ModelInstance, property: Property, replayed: Replayed): { at: number; witness: Witness } | undefined {
  const world = instance.world;
  for (let i = 0; i < replayed.states.length; i++) {
    const state = replayed.states[i]!;
    const witness = evaluate(property, world, state);
    if (witness) return { at: i, witness };
  }
  return undefined;
}

/** Whether these steps, replayed, break (or reach) the property; impossible sequences do not. */
export function stepsFind(instance: ModelInstance, property: Property, steps: readonly ActionDescriptor[]): boolean {
  try {
    return firstFinding(instance, property, replaySteps(instance, steps)) !== undefined;
  } catch (error) {
    if (error instanceof ReplayError) return false;
    throw error;
  }
}
