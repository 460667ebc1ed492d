import { assign, emit, setup } from 'xstate';
import { CLIENT, PRIMARY, type Emitted } from './messages.js';

/**
 * The application: commits one transaction at a time to the database its
 * endpoint names, and follows the endpoint when the agent moves it to the
 * promoted standby. A commit still unacknowledged is sent again when its
 * timer fires (the commit or its acknowledgement may have been lost) and when
 * the endpoint moves.
 */
export interface ClientContext {
  endpoint: string;
  epoch: number;
  next: number;
  /** Commits the database acknowledged: the ones that must survive any failover. */
  acked: number[];
}

export function createClientMachine() {
  return setup({
    types: {} as {
      context: ClientContext;
      events: { type: 'COMMIT' } | { type: 'RETRY' } | { type: 'ACK'; id: number; from: string } | { type: 'ENDPOINT'; db: string; epoch: number; from: string };
      emitted: Emitted;
    },
    guards: {
      ackOfPending: ({ context, event }) => event.type === 'ACK' && event.id === context.next,
      newer: ({ context, event }) => event.type === 'ENDPOINT' && event.epoch > context.epoch,
    },
    actions: {
      send: emit(({ context }) => ({ type: 'send' as const, to: context.endpoint, msg: { type: 'COMMIT', id: context.next, from: CLIENT } })),
    },
  }).createMachine({
    id: 'client',
    context: { endpoint: PRIMARY, epoch: 1, next: 1, acked: [] },
    initial: 'idle',
    states: {
      idle: {
        on: {
          COMMIT: { target: 'committing', actions: 'send' },
          ENDPOINT: { guard: 'newer', actions: assign({ endpoint: ({ event }) => event.db, epoch: ({ event }) => event.epoch }) },
        },
      },
      committing: {
        on: {
          ACK: { guard: 'ackOfPending', target: 'idle', actions: assign({ acked: ({ context, event }) => [...context.acked, event.id], next: ({ context }) => context.next + 1 }) },
          ENDPOINT: {
            guard: 'newer',
            actions: [
              assign({ endpoint: ({ event }) => event.db, epoch: ({ event }) => event.epoch }),
              'send',
            ],
          },
          RETRY: { actions: 'send' },
        },
      },
    },
  });
}
