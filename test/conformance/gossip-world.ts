import { assign, emit, setup } from 'xstate';
import type { NetworkKind, WorldSpec } from '../../src/world/model-spec.js';

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

export const gossip = (network: NetworkKind): WorldSpec => ({
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

