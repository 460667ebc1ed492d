import { assign, emit, setup } from 'xstate';
import { always, deadlockFree, defineModel, type WorldSpec, type WorldView } from '../../../src/index.js';

/*
 * Merz's Echo algorithm (tlaplus/Examples, specifications/echo/Echo.tla, a
 * PlusCal algorithm; configuration MCEcho.cfg): build a spanning tree of an
 * undirected graph from one initiator.
 *
 *   pc[n]        the state of machine `n`: n0, n1, n2, Done
 *   parent[n]    context `parent` (null for NoNode)
 *   children[n]  context `children`, kept sorted (a set)
 *   rcvd[n]      context `rcvd`
 *   nbrs[n]      context `nbrs`, a constant
 *   inbox[n]     the messages in flight to `n` on a `set` network: one
 *                [kind, sndr] record is one message M or C whose `from` is sndr
 *
 * The steps of a process that receive nothing (n0, leaving the n1 loop, n2)
 * are requests: the engine has no internal steps. A message sent to a node
 * that is still at n0 (or that can take no more) stays in flight: `wait`.
 */

type Msg = { type: 'M' | 'C'; from: string };
type Send = { type: 'send'; to: string | string[]; msg: Msg };

export interface EchoContext {
  id: string;
  initiator: boolean;
  nbrs: string[];
  parent: string | null;
  children: string[];
  rcvd: number;
}

export interface EchoConfig {
  nodes: string[];
  initiator: string;
  /** Undirected edges. */
  edges: Array<[string, string]>;
}

export function createEchoNode() {
  return setup({
    types: {} as {
      context: EchoContext;
      events: { type: 'N0' } | { type: 'EXIT_LOOP' } | { type: 'N2' } | Msg;
      input: { id: string; initiator: boolean; nbrs: string[] };
      emitted: Send;
    },
    guards: {
      moreToReceive: ({ context }) => context.rcvd < context.nbrs.length,
      allReceived: ({ context }) => context.rcvd >= context.nbrs.length,
      firstOfNonInitiator: ({ context }) => context.rcvd < context.nbrs.length && !context.initiator && context.rcvd === 0,
    },
  }).createMachine({
    id: 'echo-node',
    context: ({ input }) => ({ id: input?.id ?? '', initiator: input?.initiator ?? false, nbrs: input?.nbrs ?? [], parent: null, children: [], rcvd: 0 }),
    initial: 'n0',
    states: {
      // n0: if (self = initiator) inbox := multicast(inbox, self, nbrs, "m")
      n0: {
        on: {
          N0: [
            {
              guard: ({ context }) => context.initiator,
              target: 'n1',
              actions: emit(({ context }) => ({ type: 'send' as const, to: context.nbrs, msg: { type: 'M' as const, from: context.id } })),
            },
            { target: 'n1' },
          ],
        },
      },
      // n1: while (rcvd < Cardinality(nbrs)) { with (msg \in inbox[self]) ... }
      n1: {
        on: {
          M: [
            {
              guard: 'firstOfNonInitiator',
              actions: [
                assign({ rcvd: ({ context }) => context.rcvd + 1, parent: ({ event }) => event.from }),
                emit(({ context, event }) => ({
                  type: 'send' as const,
                  to: context.nbrs.filter((n) => n !== event.from),
                  msg: { type: 'M' as const, from: context.id },
                })),
              ],
            },
            { guard: 'moreToReceive', actions: assign({ rcvd: ({ context }) => context.rcvd + 1 }) },
          ],
          C: [
            // The spec asserts that a non-initiator's first message is an "m"; a C first would fail that assertion.
            {
              guard: 'firstOfNonInitiator',
              actions: () => {
                throw new Error('assertion: the first message a non-initiator receives is an "m"');
              },
            },
            {
              guard: 'moreToReceive',
              actions: assign({
                rcvd: ({ context }) => context.rcvd + 1,
                children: ({ context, event }) => (context.children.includes(event.from) ? context.children : [...context.children, event.from].sort()),
              }),
            },
          ],
          EXIT_LOOP: { guard: 'allReceived', target: 'n2' },
        },
      },
      // n2: if (self # initiator) inbox := send(inbox, self, parent, "c")
      n2: {
        on: {
          N2: [
            {
              guard: ({ context }) => !context.initiator,
              target: 'Done',
              actions: emit(({ context }) => ({ type: 'send' as const, to: context.parent!, msg: { type: 'C' as const, from: context.id } })),
            },
            { target: 'Done' },
          ],
        },
      },
      Done: {},
    },
  });
}

export function neighbours(config: EchoConfig, n: string): string[] {
  return config.nodes.filter((m) => config.edges.some(([a, b]) => (a === n && b === m) || (a === m && b === n))).sort();
}

export function buildEchoWorld(config: EchoConfig): WorldSpec {
  const machine = createEchoNode();
  return {
    processes: Object.fromEntries(
      config.nodes.map((n) => [
        n,
        {
          machine,
          input: { id: n, initiator: n === config.initiator, nbrs: neighbours(config, n) },
          role: 'server' as const,
          requests: [{ type: 'N0' }, { type: 'EXIT_LOOP' }, { type: 'N2' }],
        },
      ]),
    ),
    // inbox[n] is a set of [kind, sndr] records.
    network: 'set',
    // A message stays in the inbox until its receiver is at n1 with messages left to count.
    delivery: 'wait',
    budgets: {},
  };
}

/** The full mesh on a, b, c, as R1 of MCEcho.tla; the initiator is CHOOSE n \in N1 : TRUE, which TLC evaluates to "a". */
export const meshOfThree: EchoConfig = {
  nodes: ['a', 'b', 'c'],
  initiator: 'a',
  edges: [
    ['a', 'b'],
    ['a', 'c'],
    ['b', 'c'],
  ],
};

const ctx = (w: WorldView, n: string) => w.process(n).context as EchoContext;

export const parentChild = always({
  name: 'parent-child',
  statement: 'ParentChild: a node is a child of m only if m is its parent; once m is Done, every node whose parent is m is among its children.',
  check(w) {
    for (const m of w.processNames) {
      for (const n of w.processNames) {
        if (ctx(w, m).children.includes(n) && ctx(w, n).parent !== m) return { message: `${n} is a child of ${m} but its parent is ${ctx(w, n).parent}`, processes: [m, n] };
        if (ctx(w, n).parent === m && w.process(m).is('Done') && !ctx(w, m).children.includes(n))
          return { message: `${m} is done without ${n} among its children`, processes: [m, n] };
      }
    }
    return undefined;
  },
});

export const ancestorProperties = always({
  name: 'ancestor-properties',
  statement: 'AncestorProperties: when every node is Done, the initiator is an ancestor of every other node and the parent relation has no cycle.',
  check(w) {
    if (!w.processNames.every((n) => w.process(n).is('Done'))) return undefined;
    for (const n of w.processNames) {
      const seen = new Set<string>();
      let at: string | null = n;
      while (at !== null && !seen.has(at)) seen.add(at), (at = ctx(w, at).parent);
      if (at !== null) return { message: `the parents from ${n} run in a cycle through ${at}`, processes: [n] };
      const root = [...seen].pop()!;
      if (!ctx(w, root).initiator) return { message: `the parents from ${n} end at ${root}, not the initiator`, processes: [n] };
    }
    return undefined;
  },
});

/** TLC checks for deadlock on MCEcho.cfg; the spec's Terminating step makes "every node Done" the one allowed end. */
export const noDeadlock = deadlockFree({
  name: 'no-deadlock',
  statement: 'Every state where nothing can happen has every node Done (TLC\'s deadlock check, with the Terminating step).',
  terminal: (w) => w.processNames.every((n) => w.process(n).is('Done')),
});

export const echo = defineModel<EchoConfig>({
  name: 'echo',
  summary: 'The Echo algorithm from the TLA+ examples: an initiator floods its neighbours and the echoes build a spanning tree.',
  configs: { 'mesh-of-three': meshOfThree },
  variants: { spec: { summary: 'Echo.tla as published, with MCEcho.cfg (three nodes, fully meshed).', expect: { 'parent-child': 'holds', 'ancestor-properties': 'holds', 'no-deadlock': 'holds' } } },
  properties: [parentChild, ancestorProperties, noDeadlock],
  build: (_variant, config) => buildEchoWorld(config),
});
