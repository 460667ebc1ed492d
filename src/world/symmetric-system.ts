import type { TransitionSystem } from '../engine/transition-system.js';
import type { WorldAction } from './actions.js';
import type { SymmetryReducer } from './symmetry.js';
import type { World } from './world.js';

/**
 * The world explored one state per orbit: every successor is replaced by its
 * orbit's representative. Actions are the world's own, taken from representatives.
 */
export class SymmetricSystem implements TransitionSystem<string, WorldAction> {
  constructor(
    readonly world: World,
    readonly reducer: SymmetryReducer,
  ) {}

  initialStates(): string[] {
    return this.world.initialStates().map((s) => this.reducer.canonical(s));
  }

  actions(state: string): WorldAction[] {
    return this.world.actions(state);
  }

  nextState(state: string, action: WorldAction): string {
    return this.reducer.canonical(this.world.nextState(state, action));
  }

  key(state: string): string {
    return state;
  }
}

/**
 * Turns a path found on representatives into one the plain world can replay:
 * at each step, the concrete action whose successor lies in the same orbit as
 * the representative's successor (the representative's own action first).
 * It starts from the first initial state in the orbit of `root` (the
 * representative the path starts from; by default the first initial state's),
 * with an `init` step naming it when the world has several. Same length
 * otherwise; it ends in a state symmetric to the path's last representative.
 */
export function concretePath(world: World, reducer: SymmetryReducer, path: readonly WorldAction[], root?: string): { actions: WorldAction[]; states: string[] } {
  const initials = world.initialStates();
  let representative = root ?? reducer.canonical(initials[0]!);
  const start = initials.findIndex((s) => reducer.canonical(s) === representative);
  if (start < 0) throw new Error('symmetry: a reduced path starts from no initial state; the declared symmetry does not hold for this model');
  let concrete = initials[start]!;
  const actions: WorldAction[] = initials.length > 1 ? [world.initAction(start)] : [];
  const states = actions.length ? [concrete, concrete] : [concrete];
  path.forEach((step, i) => {
    representative = reducer.canonical(world.nextState(representative, step));
    const enabled = world.actions(concrete);
    const tryFirst = enabled.filter((a) => a.id === step.id);
    const found = [...tryFirst, ...enabled].find((a) => reducer.canonical(world.nextState(concrete, a)) === representative);
    if (!found) throw new Error(`symmetry: step ${i + 1} of a reduced path has no concrete counterpart; the declared symmetry does not hold for this model`);
    actions.push(found);
    concrete = world.nextState(concrete, found);
    states.push(concrete);
  });
  return { actions, states };
}
