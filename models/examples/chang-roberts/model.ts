import { assign, emit, setup } from 'xstate';
import { always, defineModel, type WorldSpec, type WorldView } from '../../../src/index.js';

/*
 * Merz's PlusCal Chang–Roberts leader election on a unidirectional ring
 * (tlaplus/Examples, specifications/chang_roberts/ChangRoberts.tla with
 * MCChangRoberts.tla / MCChangRoberts.cfg: N = 3, Id[i] = i).
 *
 *   pc[n]          the state of machine `n`: n0, n1
 *   initiator[n]   context `initiator` (input; never changes)
 *   state[n]       context `state`: cand, lost, won
 *   msgs[n]        the messages in flight to `n` on a `set` network: id \in msgs[n]
 *                  is a message ID {id} from n's predecessor on the ring
 *   n0(self)       request N0: an initiator sends its own id to its successor
 *   n1(self)       delivery of an ID to a node at n1
 *
 * The spec has 8 initial states (initiator \in [Node -> BOOLEAN]): each node
 * declares its two inputs, initiator or not, and the world explores every
 * combination in one run, as TLC does.
 */

export interface ChangRobertsConfig {
  /** N: the nodes are n1..nN, with Id[i] = i. */
  nodes: number;
}

type IdMsg = { type: 'ID'; from: string; id: number };
type Send = { type: 'send'; to: string; msg: IdMsg };

export interface NodeContext {
  self: number;
  succ: string;
  name: string;
  initiator: boolean;
  state: 'cand' | 'lost' | 'won';
}

export const nodeName = (i: number) => `n${i}`;

/**
 * How the machine writes "take the message and change nothing". `assign` (the
 * port) consumes it; `empty` (`{}`, what a PlusCal reader would write) is, to
 * xstate's `can()`, a forbidden transition, so under `wait` the message stays:
 * kept to show the trap (see the README).
 */
export type Swallow = 'assign' | 'empty';

export function createNode(swallow: Swallow = 'assign') {
  return setup({
    types: {} as {
      context: NodeContext;
      events: { type: 'N0' } | IdMsg;
      input: { self: number; n: number; initiator: boolean };
      emitted: Send;
    },
  }).createMachine({
    id: 'chang-roberts-node',
    context: ({ input }) => {
      const self = input?.self ?? 1;
      const n = input?.n ?? 1;
      const initiator = input?.initiator ?? false;
      return { self, name: nodeName(self), succ: nodeName(self === n ? 1 : self + 1), initiator, state: initiator ? 'cand' : 'lost' };
    },
    initial: 'n0',
    states: {
      n0: {
        on: {
          N0: [
            {
              guard: ({ context }) => context.initiator,
              target: 'n1',
              actions: emit(({ context }) => ({ type: 'send' as const, to: context.succ, msg: { type: 'ID' as const, from: context.name, id: context.self } })),
            },
            { target: 'n1' },
          ],
        },
      },
      n1: {
        on: {
          ID: [
            // A node that has lost forwards the id.
            {
              guard: ({ context }) => context.state === 'lost',
              actions: emit(({ context, event }) => ({ type: 'send' as const, to: context.succ, msg: { type: 'ID' as const, from: context.name, id: event.id } })),
            },
            // A smaller id: record the loss and forward it.
            {
              guard: ({ context, event }) => event.id < context.self,
              actions: [
                assign({ state: 'lost' as const }),
                emit(({ context, event }) => ({ type: 'send' as const, to: context.succ, msg: { type: 'ID' as const, from: context.name, id: event.id } })),
              ],
            },
            // Its own id: it has won. A larger id is swallowed: the message is consumed and nothing else changes.
            { guard: ({ context, event }) => event.id === context.self, actions: assign({ state: 'won' as const }) },
            // An action that changes nothing, not `{}`: xstate's `can()`, which the engine asks whether the
            // receiver can take a message, says no to a transition with neither target nor actions, and under
            // `wait` the swallowed message would then stay in msgs for ever.
            swallow === 'assign' ? { actions: assign({ state: ({ context }) => context.state }) } : {},
          ],
        },
      },
    },
  });
}

export function buildChangRobertsWorld(config: ChangRobertsConfig, swallow: Swallow = 'assign'): WorldSpec {
  const n = config.nodes;
  const machine = createNode(swallow);
  const processes: WorldSpec['processes'] = {};
  for (let self = 1; self <= n; self++) {
    // initiator[self] \in BOOLEAN: one input per value; the world starts from every combination.
    processes[nodeName(self)] = { machine, inputs: [true, false].map((initiator) => ({ self, n, initiator })), role: 'server', requests: [{ type: 'N0' }] };
  }
  // msgs[n] is a set; a message sent to a node still at n0 waits until it reaches n1.
  return { processes, network: 'set', delivery: 'wait', budgets: {} };
}

const ctx = (w: WorldView, n: string) => w.process(n).context as NodeContext;

/** Correctness of ChangRoberts.tla: a winner is the initiator with the smallest id, and every other node has lost. */
export const correctness = always({
  name: 'correctness',
  statement: 'Correctness: a node that has won is the initiator with the smallest id, and every other node has lost.',
  check(w) {
    for (const n of w.processNames) {
      if (ctx(w, n).state !== 'won') continue;
      const smallest = Math.min(...w.processNames.filter((m) => ctx(w, m).initiator).map((m) => ctx(w, m).self));
      if (!ctx(w, n).initiator || ctx(w, n).self !== smallest) return { message: `${n} won but is not the smallest initiator`, processes: [n] };
      const notLost = w.processNames.find((m) => m !== n && ctx(w, m).state !== 'lost');
      if (notLost) return { message: `${n} won while ${notLost} is ${ctx(w, notLost).state}`, processes: [n, notLost] };
    }
    return undefined;
  },
});

export const changRoberts = defineModel<ChangRobertsConfig>({
  name: 'chang-roberts',
  summary: 'Chang–Roberts leader election on a ring, from the TLA+ examples: its 8 initial states explored in one run.',
  configs: { 'mc-chang-roberts': { nodes: 3 } },
  variants: { spec: { summary: 'ChangRoberts.tla as published, with MCChangRoberts.cfg (N = 3) and its 8 initial states.', expect: { correctness: 'holds' } } },
  properties: [correctness],
  build: (_variant, config) => buildChangRobertsWorld(config),
});
