import { assign, emit, setup } from 'xstate';
import { CLIENT, PRIMARY, type Emitted } from './messages.js';

/**
 * The application, beside the primary in its zone: commits one transaction at
 * a time to the primary and records what the database acknowledged. It does
 * not follow a failover (redirecting the application is not modelled): what
 * matters here is which acknowledged commits survive one.
 */
export interface ClientContext {
  next: number;
  /** Commits the database acknowledged: the ones that must survive any failover. */
  acked: number[];
}

export function createClientMachine() {
  return setup({
    types: {} as { context: ClientContext; events: { type: 'COMMIT' } | { type: 'ACK'; id: number; from: string }; emitted: Emitted },
    guards: {
      // An acknowledgement of an earlier commit, received again, is not taken for the pending one.
      ackOfPending: ({ context, event }) => event.type === 'ACK' && event.id === context.next,
    },
  }).createMachine({
    id: 'client',
    context: { next: 1, acked: [] },
    initial: 'idle',
    states: {
      idle: {
        on: { COMMIT: { target: 'committing', actions: emit(({ context }) => ({ type: 'send' as const, to: PRIMARY, msg: { type: 'COMMIT', id: context.next, from: CLIENT } })) } },
      },
      committing: {
        on: { ACK: { guard: 'ackOfPending', target: 'idle', actions: assign({ acked: ({ context, event }) => [...context.acked, event.id], next: ({ context }) => context.next + 1 }) } },
      },
    },
  });
}
