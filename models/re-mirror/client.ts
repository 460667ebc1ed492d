import { assign, emit, setup } from 'xstate';
import { send, type AckMsg, type Emitted } from './messages.js';

/** How many times an instance sends its write again when no acknowledgement comes. */
export const CLIENT_RETRIES = 0;

export interface ClientContext {
  id: string;
  vol: string;
  /** Whether its write was acknowledged: from then on the write must survive. */
  acked: boolean;
  attempts: number;
}

export interface ClientInput {
  id: string;
  vol: string;
}

type ClientEvent = { type: 'WRITE'; to: string } | AckMsg;

/**
 * The EC2 instance attached to one volume: it makes one write and waits for
 * the acknowledgement, sending it again a bounded number of times. Its timer
 * names the node it tries (any node: the instance does not know where the
 * replicas are now; a node that does not serve the volume ignores the write).
 * A write that reaches a replica while the volume re-mirrors is not answered,
 * since I/O is blocked.
 */
export function createClientMachine() {
  return setup({
    types: {} as { context: ClientContext; events: ClientEvent; input: ClientInput; emitted: Emitted },
    actions: { write: emit(({ context, event }) => send((event as { to: string }).to, { type: 'WRITE', vol: context.vol, from: context.id })) },
    guards: { mayRetry: ({ context }) => context.attempts < CLIENT_RETRIES },
  }).createMachine({
    id: 'client',
    context: ({ input }) => ({ id: input.id, vol: input.vol, acked: false, attempts: 0 }),
    initial: 'idle',
    states: {
      idle: { on: { WRITE: { target: 'writing', actions: 'write' } } },
      writing: {
        on: {
          ACK: { target: 'done', actions: assign({ acked: true }) },
          WRITE: { guard: 'mayRetry', actions: [assign({ attempts: ({ context }) => context.attempts + 1 }), 'write'] },
        },
      },
      done: {},
    },
  });
}
