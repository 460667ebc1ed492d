import { assign, emit, setup } from 'xstate';
import { send, type AckMsg, type Emitted, type ReadResultMsg } from './messages.js';

/** How many times an instance sends its write again when no acknowledgement comes. */
export const CLIENT_RETRIES = 0;

/**
 * One operation on the volume as the instance saw it (a ghost record for
 * `linearizable`: the protocol never reads it): its write of version 1, and
 * its read of the version a replica serves. `output` is absent while pending.
 */
export type VolumeOp = { op: 'write'; output?: 'ok' } | { op: 'read'; output?: number };

export interface ClientContext {
  id: string;
  vol: string;
  /** Whether its write was acknowledged: from then on the write must survive. */
  acked: boolean;
  attempts: number;
  /** Reads it may still make, once its write is acknowledged. */
  readsLeft: number;
  /** Its operations in the order it issued them, one at a time: operation i is called at 2i and returns at 2i + 1. */
  history: VolumeOp[];
}

export interface ClientInput {
  id: string;
  vol: string;
  reads: number;
}

type ClientEvent = { type: 'WRITE'; to: string } | { type: 'READ' } | AckMsg | ReadResultMsg;

/** The history with its last (pending) operation completed with `output`. */
const complete = (history: VolumeOp[], output: VolumeOp['output']): VolumeOp[] => [...history.slice(0, -1), { ...history[history.length - 1]!, output } as VolumeOp];

/**
 * The EC2 instance attached to one volume: it makes one write and waits for
 * the acknowledgement, sending it again a bounded number of times. Its timer
 * names the node it tries (any node: the instance does not know where the
 * replicas are now; a node that does not serve the volume ignores the write).
 * A write that reaches a replica while the volume re-mirrors is not answered,
 * since I/O is blocked. Once its write is acknowledged it may read the volume
 * (a bounded number of times): it asks every node, and takes the first answer;
 * only a node whose replica serves answers. (A read before the write could see
 * only the data before it, which orders first in any history: it is not made.)
 */
/** `nodes`: every node; the instance does not know where the replicas are now, so it asks them all. */
export function createClientMachine(nodes: string[]) {
  return setup({
    types: {} as { context: ClientContext; events: ClientEvent; input: ClientInput; emitted: Emitted },
    actions: { write: emit(({ context, event }) => send((event as { to: string }).to, { type: 'WRITE', vol: context.vol, from: context.id })) },
    guards: {
      mayRetry: ({ context }) => context.attempts < CLIENT_RETRIES,
      mayRead: ({ context }) => context.readsLeft > 0,
      resultForMe: ({ context, event }) => event.type === 'READ_RESULT' && event.vol === context.vol,
    },
  }).createMachine({
    id: 'client',
    context: ({ input }) => ({ id: input.id, vol: input.vol, acked: false, attempts: 0, readsLeft: input.reads, history: [] }),
    initial: 'idle',
    states: {
      idle: { on: { WRITE: { target: 'writing', actions: ['write', assign({ history: [{ op: 'write' as const }] })] } } },
      writing: {
        on: {
          ACK: { target: 'done', actions: assign({ acked: true, history: ({ context }) => complete(context.history, 'ok') }) },
          WRITE: { guard: 'mayRetry', actions: [assign({ attempts: ({ context }) => context.attempts + 1 }), 'write'] },
        },
      },
      done: {
        on: {
          READ: {
            guard: 'mayRead',
            target: 'reading',
            actions: [
              emit(({ context }) => send(nodes, { type: 'READ', vol: context.vol, from: context.id })),
              assign({ readsLeft: ({ context }) => context.readsLeft - 1, history: ({ context }) => [...context.history, { op: 'read' as const }] }),
            ],
          },
        },
      },
      reading: { on: { READ_RESULT: { guard: 'resultForMe', target: 'done', actions: assign({ history: ({ context, event }) => complete(context.history, event.version) }) } } },
    },
  });
}
