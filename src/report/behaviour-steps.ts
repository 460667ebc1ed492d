import type { ActionDescriptor } from '../world/actions.js';

/**
 * How many steps of behaviour a trace holds: its `init` pseudo-step (which of
 * several initial states the trace starts from) chooses, it does not happen,
 * so it is not counted.
 */
export function behaviourSteps(trace: readonly ActionDescriptor[]): number {
  return trace.filter((step) => step.kind !== 'init').length;
}
