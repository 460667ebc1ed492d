import { assign, emit, setup } from 'xstate';
import type { NetworkKind, WorldSpec } from '../../src/index.js';
import { receiver, sender } from './fixtures.js';

/** On each GO sends PING {n: 0, 1, 0, 1, ...} to b: the third send repeats the first, which a bag keeps and a set merges. */
export const pinger = setup({
  types: {} as { context: { n: number }; events: { type: 'GO' } },
}).createMachine({
  context: { n: 0 },
  on: { GO: { actions: [emit(({ context }) => ({ type: 'send' as const, to: 'b', msg: { type: 'PING' as const, n: context.n % 2 } })), assign({ n: ({ context }) => context.n + 1 })] } },
});

/** Keeps the set of PING numbers it got (sorted); `durable` keeps it across a crash; WAKE moves it to `awake`, where it takes nothing. */
export const collector = setup({
  types: {} as { context: { seen: number[] }; events: { type: 'PING'; n: number } | { type: 'WAKE' }; input: { durable?: { seen: number[] } } | undefined },
}).createMachine({
  context: ({ input }) => ({ seen: input?.durable?.seen ?? [] }),
  initial: 'listening',
  states: {
    listening: {
      on: {
        PING: { actions: assign({ seen: ({ context, event }) => [...new Set([...context.seen, event.n])].sort() }) },
        WAKE: 'awake',
      },
    },
    awake: {},
  },
});

/**
 * Hand-made worlds of a few dozen states that between them use every feature
 * of the world: each network kind, drops, partitions over two networks,
 * crashes with a durable part and restarts, timeouts and internal steps with
 * conditions, requests, ticks and the three delivery policies.
 */

/** Counts TICKs up to 2; on each of them sends PING {n: ticks so far, this one included} to b. */
export const ticker = setup({
  types: {} as { context: { t: number }; events: { type: 'TICK' } },
}).createMachine({
  context: { t: 0 },
  on: {
    TICK: {
      guard: ({ context }) => context.t < 2,
      actions: [assign({ t: ({ context }) => context.t + 1 }), emit(({ context }) => ({ type: 'send' as const, to: 'b', msg: { type: 'PING' as const, n: context.t } }))],
    },
  },
});

/** Opens on its own (an internal step), then takes one PING and closes; a PING while closed is refused. */
export const door = setup({
  types: {} as { context: { got: number }; events: { type: 'OPEN' } | { type: 'PING'; n: number } },
}).createMachine({
  context: { got: 0 },
  initial: 'closed',
  states: {
    closed: { on: { OPEN: 'open' } },
    open: { on: { PING: { target: 'closed', actions: assign({ got: ({ context }) => context.got + 1 }) } } },
  },
});

/** The pinger and the collector: b may crash (keeping what it got) and wakes on a timer. */
export function pairWorld(network: NetworkKind, budgets: WorldSpec['budgets'] = { request: 3, drop: 1, crash: 1 }): WorldSpec {
  return {
    processes: {
      a: { machine: pinger, requests: [{ type: 'GO' }] },
      b: { machine: collector, crash: { durable: (c: { seen: number[] }) => ({ seen: c.seen }) }, timeouts: [{ event: { type: 'WAKE' } }] },
    },
    network,
    budgets,
  };
}

/** Ticks drive the sender; the door opens only while a message is in flight and takes one PING per opening. */
export function tickWorld(delivery: WorldSpec['delivery'] = 'wait'): WorldSpec {
  return {
    processes: {
      a: { machine: ticker },
      b: { machine: door, internal: [{ event: { type: 'OPEN' }, name: 'opens', when: (w) => w.messages().length > 0 }] },
    },
    network: 'bag',
    delivery,
    budgets: { tick: 3 },
  };
}

/** Two networks: `left` cuts b off one of them, `both` off both; a sends on requests, and b wakes only while a is cut off it. */
export function twoNetworkWorld(): WorldSpec {
  return {
    processes: {
      a: { machine: sender, input: { peer: 'b' }, requests: [{ type: 'GO' }] },
      b: { machine: receiver, timeouts: [{ event: { type: 'WAKE' }, when: (w) => !w.connected('a', 'b') }] },
    },
    network: 'fifo',
    networks: ['one', 'two'],
    partitions: [
      { name: 'left', group: ['b'], networks: ['one'] },
      { name: 'both', group: ['b'] },
    ],
    budgets: { request: 2, partition: 2, timeout: 1 },
  };
}

export const SMALL_WORLDS: Array<{ name: string; spec: () => WorldSpec }> = [
  ...(['bag', 'set', 'fifo', 'persistent'] as const).map((network) => ({ name: `pair over ${network}`, spec: () => pairWorld(network) })),
  { name: 'ticks and a door that waits', spec: () => tickWorld('wait') },
  { name: 'ticks and a door that drops what it cannot take', spec: () => tickWorld('drop') },
  { name: 'two networks, two partitions, a conditional timer', spec: twoNetworkWorld },
];
