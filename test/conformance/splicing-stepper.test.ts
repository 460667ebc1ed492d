import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { SplicingStepper } from '../../src/conformance/splicing-stepper.js';
import { gossip } from './gossip-world.js';
import { World } from '../../src/world/world.js';
import { ModelStepError } from '../../src/world/errors.js';
import { instantiate } from '../../src/index.js';
import { replicaElection } from '../../properties/replica-election.js';
import { leaseLock } from '../../examples/lease-lock.js';
import { alternatingBit } from '../../models/examples/alternating-bit/model.js';

/** Every enabled action of every state along a walk chosen by `choices`: the splice and the world agree on each. */
function agreesAlong(world: World, choices: number[]): void {
  const splicing = new SplicingStepper(world);
  const step = (next: (s: string, a: ReturnType<World['actions']>[number]) => string, s: string, a: ReturnType<World['actions']>[number]) => {
    try {
      return next(s, a);
    } catch (error) {
      if (error instanceof ModelStepError) return `error: ${error.message}`;
      throw error;
    }
  };
  let state = world.initialStates()[choices[0]! % world.initialStates().length]!;
  for (const choice of choices) {
    const actions = world.actions(state);
    if (actions.length === 0) return;
    for (const action of actions) {
      expect(step((s, a) => splicing.nextState(s, a), state, action), action.id).toBe(step((s, a) => world.nextState(s, a), state, action));
    }
    const chosen = actions[choice % actions.length]!;
    const next = step((s, a) => world.nextState(s, a), state, chosen);
    if (next.startsWith('error: ')) return;
    state = next;
  }
}

describe('the splicing stepper takes the same steps as the world', () => {
  for (const network of ['bag', 'set', 'fifo', 'persistent'] as const) {
    test(`a gossiping world on a ${network} network, with drops, crashes, partitions and ticks`, () => {
      fc.assert(
        fc.property(fc.array(fc.nat(), { minLength: 5, maxLength: 30 }), (choices) => agreesAlong(new World(gossip(network)), choices)),
        { numRuns: 60, seed: 11 },
      );
    });
  }

  const models = [
    instantiate(replicaElection, 'fixed', 'three-replicas-crash'),
    instantiate(leaseLock, 'unfenced', 'two-clients-lossy'),
    instantiate(alternatingBit, Object.keys(alternatingBit.variants)[0]!),
  ];
  for (const instance of models) {
    test(`${instance.model.name} (${instance.world.spec.network} network)`, () => {
      fc.assert(
        fc.property(fc.array(fc.nat(), { minLength: 5, maxLength: 30 }), (choices) => agreesAlong(instance.world, choices)),
        { numRuns: 40, seed: 12 },
      );
    });
  }
});
