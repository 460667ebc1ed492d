import type { ActionDescriptor, WorldAction } from '../world/actions.js';
import type { Property, Witness } from '../spec/property.js';
import { evaluate, type ModelInstance } from './instance.js';
import type { World } from '../world/world.js';

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

/**
 * Applies the steps one by one from the initial state; a step that is not
 * enabled stops the replay with a ReplayError. A leading `init` step picks the
 * initial state by its label (one that no longer exists is a ReplayError); it
 * is kept as the first action, from the chosen state to itself, so that states
 * and actions stay aligned with the steps. Without it the replay starts from
 * the first initial state.
 */
export function replaySteps(instance: ModelInstance, steps: readonly ActionDescriptor[]): Replayed {
  const world = instance.world;
  const first = steps[0];
  const actions: WorldAction[] = [];
  let start = world.initialStates()[0]!;
  if (first?.kind === 'init') {
    const index = world.initialIndexOf(first.initial);
    if (index === undefined) {
      const known = world.initialStates().map((_, i) => `"${world.initialLabel(i)}"`);
      throw new ReplayError(1, `initial state "${first.initial}" no longer exists (initial states: ${known.join(', ')})`);
    }
    start = world.initialStates()[index]!;
    actions.push(world.initAction(index));
  }
  const states = actions.length ? [start, start] : [start];
  const skipped = actions.length;
  steps.slice(skipped).forEach((descriptor, k) => {
    const i = k + skipped;
    const state = states[states.length - 1]!;
    if (descriptor.kind === 'init') throw new ReplayError(i + 1, `step ${i + 1} names an initial state, which only the first step may`);
    const action = world.findAction(state, descriptor);
    if (!action) throw new ReplayError(i + 1, `step ${i + 1} (${JSON.stringify(descriptor)}) is not possible at that point`);
    actions.push(action);
    states.push(world.nextState(state, action));
  });
  return { states, actions };
}

/**
 * A path found by a search, as trace steps: when the world has several initial
 * states, an `init` step naming the one the path starts from comes first.
 */
export function traceFrom(world: World, root: string, path: readonly WorldAction[]): ActionDescriptor[] {
  return withInitial(world, root, path).map((a) => a.descriptor);
}

/** The path's actions, after the `init` pseudo-step for its root when the world has several initial states. */
export function withInitial(world: World, root: string, path: readonly WorldAction[]): WorldAction[] {
  if (world.initialStates().length <= 1) return [...path];
  const index = world.initialIndexOfState(root);
  if (index < 0) throw new Error('a path must start from an initial state');
  return [world.initAction(index), ...path];
}

/**
 * The first point along a replay where the property is broken (for `always` and
 * deadlock) or reached (for `sometimes`): the index into `states`, or -1.
 */
export function firstFinding(instance: ModelInstance, property: Property, replayed: Replayed): { at: number; witness: Witness } | undefined {
  const world = instance.world;
  // After an `init` step the first two states are the same: judge it once, after the step that names it.
  for (let i = replayed.actions[0]?.kind === 'init' ? 1 : 0; i < replayed.states.length; i++) {
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
