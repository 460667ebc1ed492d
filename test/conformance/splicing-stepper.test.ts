import fc from 'fast-check';
import { assign, emit, setup } from 'xstate';
import { describe, expect, test } from 'vitest';
import { SplicingStepper } from '../../src/conformance/splicing-stepper.js';
import type { NetworkKind, WorldSpec } from '../../src/world/model-spec.js';
import { World } from '../../src/world/world.js';
import { ModelStepError } from '../../src/world/errors.js';
import { instantiate } from '../../src/index.js';
import { replicaElection } from '../../properties/replica-election.js';
import { leaseLock } from '../../examples/lease-lock.js';
import { alternatingBit } from '../../models/examples/alternating-bit/model.js';

type Msg = { type: 'MSG'; v: number; from: string } | { type: 'ACK'; v: number; from: string } | { type: 'SELF'; from: string };
type Send = { type: 'send'; to: string; msg: Msg };

/**
 * Three nodes that gossip: a PING request sends the same message to both
 * peers (so a message is often sent again while in flight), a MSG is
 * acknowledged, a TICK passes a message on and sends one to the node itself,
 * which it sends itself again on delivery (the one way a step can put back the
 * very message it took). Small values keep it finite; the
 * faults (drop, crash, partition) are what remove messages from the network.
 */
const node = (name: string, peers: [string, string]) =>
  setup({ types: {} as { context: { n: number }; events: { type: 'PING' } | { type: 'TICK' } | Msg; emitted: Send; input: { durable?: { n: number } } } }).createMachine({
    id: 'node',
    context: ({ input }) => ({ n: input?.durable?.n ?? 0 }),
    initial: 'up',
    states: {
      up: {
        on: {
          PING: {
            guard: ({ context }) => context.n < 3,
            actions: [
              assign(({ context }) => ({ n: context.n + 1 })),
              emit(({ context }) => ({ type: 'send' as const, to: peers[0], msg: { type: 'MSG' as const, v: context.n % 2, from: name } })),
              emit(({ context }) => ({ type: 'send' as const, to: peers[1], msg: { type: 'MSG' as const, v: context.n % 2, from: name } })),
            ],
          },
          MSG: { actions: emit(({ event }) => ({ type: 'send' as const, to: event.from, msg: { type: 'ACK' as const, v: event.v, from: name } })) },
          ACK: { guard: ({ event }) => event.v === 0, target: 'done' },
          TICK: {
            actions: [
              emit(({ context }) => ({ type: 'send' as const, to: peers[1], msg: { type: 'MSG' as const, v: context.n % 2, from: name } })),
              emit({ type: 'send' as const, to: name, msg: { type: 'SELF' as const, from: name } }),
            ],
          },
          SELF: { actions: emit({ type: 'send' as const, to: name, msg: { type: 'SELF' as const, from: name } }) },
        },
      },
      done: { on: { MSG: { actions: emit(({ event }) => ({ type: 'send' as const, to: event.from, msg: { type: 'ACK' as const, v: 1, from: name } })) } } },
    },
  });

const gossip = (network: NetworkKind): WorldSpec => ({
  processes: {
    a: { machine: node('a', ['b', 'c']), requests: [{ type: 'PING' }], crash: { durable: (c) => ({ n: c.n }) } },
    b: { machine: node('b', ['c', 'a']), requests: [{ type: 'PING' }], crash: { durable: (c) => ({ n: c.n }) } },
    c: { machine: node('c', ['a', 'b']), requests: [{ type: 'PING' }] },
  },
  network,
  // A consuming network takes a message its receiver cannot use; a persistent one can only wait.
  delivery: network === 'persistent' ? 'wait' : 'drop',
  partitions: [{ name: 'a isolated', group: ['a'] }],
  budgets: { drop: 4, crash: 2, partition: 2, tick: 3 },
});

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
