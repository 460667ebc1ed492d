import { assign, emit, setup } from 'xstate';
import type { AckMsg, Emitted } from './messages.js';

export interface ClientContext {
  id: string;
  vol: string;
  /** Whether its write was acknowledged: from then on the write must survive. */
  acked: boolean;
}

export interface ClientInput {
  id: string;
  vol: string;
}

/**
 * The EC2 instance attached to one volume: it makes one write and waits for the
 * acknowledgement. Its `WRITE` event names the replica the control plane lists
 * first (the world looks it up: the instance's side of the negotiation over
 * where its I/O goes). A write that reaches a replica while the volume
 * re-mirrors is not answered, since I/O is blocked; the instance sends it again
 * once the volume serves.
 */
export function createClientMachine() {
  return setup({
    types: {} as { context: ClientContext; events: { type: 'WRITE'; to: string } | AckMsg; input: ClientInput; emitted: Emitted },
  }).createMachine({
    id: 'client',
    context: ({ input }) => ({ id: input.id, vol: input.vol, acked: false }),
    initial: 'idle',
    states: {
      idle: {
        on: {
          WRITE: {
            target: 'writing',
            actions: emit(({ context, event }) => ({ type: 'send' as const, to: event.to, msg: { type: 'WRITE', vol: context.vol, from: context.id } })),
          },
        },
      },
      writing: {
        on: {
          ACK: { target: 'done', actions: assign({ acked: true }) },
          WRITE: { actions: emit(({ context, event }) => ({ type: 'send' as const, to: event.to, msg: { type: 'WRITE', vol: context.vol, from: context.id } })) },
        },
      },
      done: {},
    },
  });
}
