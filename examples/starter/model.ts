// A starter model written by `outage-checker init`: a client that retries an
// increment until the server acknowledges it. Replace the machines with your protocol.
import { assign, emit, setup } from 'xstate';
import { defineModel, type WorldSpec } from 'outage-checker';
import { countedOnce, eventuallyAcknowledged } from './properties.js';

type Send = { type: 'send'; to: string; msg: { type: 'INCREMENT'; id: number; from: string } | { type: 'ACK'; id: number } };

/** Sends INCREMENT once asked, and again each time its timer fires before the ACK arrives. */
const client = setup({
  types: {} as { context: { id: number }; events: { type: 'ASK' } | { type: 'RETRY' } | { type: 'ACK'; id: number }; emitted: Send },
}).createMachine({
  id: 'client',
  context: { id: 1 },
  initial: 'idle',
  states: {
    idle: { on: { ASK: 'waiting' } },
    waiting: {
      entry: emit(({ context }) => ({ type: 'send' as const, to: 'server', msg: { type: 'INCREMENT' as const, id: context.id, from: 'client' } })),
      on: { RETRY: { target: 'waiting', reenter: true }, ACK: 'done' },
    },
    done: {},
  },
});

/** Counts increments and acknowledges each; `dedupe` makes it count each request id once. */
const server = (dedupe: boolean) =>
  setup({
    types: {} as { context: { count: number; seen: number[] }; events: { type: 'INCREMENT'; id: number; from: string }; emitted: Send },
  }).createMachine({
    id: 'server',
    context: { count: 0, seen: [] },
    on: {
      INCREMENT: {
        actions: [
          assign(({ context, event }) => {
            if (!dedupe) return { count: context.count + 1 };
            return context.seen.includes(event.id) ? context : { count: context.count + 1, seen: [...context.seen, event.id].sort((a, b) => a - b) };
          }),
          emit(({ event }) => ({ type: 'send' as const, to: event.from, msg: { type: 'ACK' as const, id: event.id } })),
        ],
      },
    },
  });

export const starter = defineModel({
  name: 'starter',
  summary: 'A client retries an increment until the server acknowledges it.',
  configs: { 'one-loss': { drops: 1 } },
  variants: {
    naive: { summary: 'The server counts every INCREMENT it receives.', expect: { 'counted-once': 'violated', 'eventually-acknowledged': 'holds' } },
    deduplicated: { summary: 'The server counts each request id once.', expect: { 'counted-once': 'holds', 'eventually-acknowledged': 'holds' } },
  },
  properties: [countedOnce, eventuallyAcknowledged],
  build: (variant, config): WorldSpec => ({
    processes: {
      // ASK comes from outside the protocol; RETRY is the client's timer, which may fire at any time.
      // A duplicate ACK that arrives once the client is done is ignored, not an error.
      client: { machine: client, requests: [{ type: 'ASK' }], timeouts: [{ event: { type: 'RETRY' } }], role: 'client', delivery: { ACK: 'drop' } },
      server: { machine: server(variant === 'deduplicated'), role: 'server' },
    },
    network: 'bag',
    // Any other message its receiver cannot take is a mistake in the model.
    delivery: 'error',
    budgets: { drop: config.drops, timeout: 2 },
  }),
});
