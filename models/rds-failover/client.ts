import { assign, emit, setup } from 'xstate';
import { CLIENT, PRIMARY, STANDBY, type Emitted } from './messages.js';

/**
 * One operation as the application saw it, in the order it issued them (a
 * ghost record for `linearizable`: the protocol never reads it). `output` is
 * absent while the operation is pending; an operation left pending stays so.
 */
export type ClientOp = { op: 'commit'; id: number; output?: 'ok' } | { op: 'read'; output?: number[] };

/**
 * The application, beside the primary in its zone: commits one transaction at
 * a time to the primary and records what the database acknowledged. It does
 * not redirect its commits after a failover (that is not modelled): what
 * matters here is which acknowledged commits survive one. Between commits it
 * may read the committed transactions from the database endpoint, which after
 * a failover is whichever replica serves (see the database's `READ`).
 */
export interface ClientContext {
  next: number;
  /** Commits the database acknowledged: the ones that must survive any failover. */
  acked: number[];
  /** Commits and reads it may still issue: the configuration's bounds, which keep the history finite. */
  commitsLeft: number;
  readsLeft: number;
  /** Every operation issued, one at a time, so operation i is called at time 2i and returns at 2i + 1. */
  history: ClientOp[];
}

export interface ClientInput {
  commits: number;
  reads: number;
}

type ClientEvent =
  | { type: 'COMMIT' }
  | { type: 'READ' }
  | { type: 'ACK'; id: number; from: string }
  | { type: 'READ_RESULT'; op: number; log: number[]; from: string };

/** The history with its last (pending) operation completed with `output`. */
const complete = (history: ClientOp[], output: ClientOp['output']): ClientOp[] => [...history.slice(0, -1), { ...history[history.length - 1]!, output } as ClientOp];

export function createClientMachine() {
  return setup({
    types: {} as { context: ClientContext; events: ClientEvent; input: ClientInput; emitted: Emitted },
    guards: {
      mayCommit: ({ context }) => context.commitsLeft > 0,
      // A read before any commit is acknowledged can only see the empty log and is linearizable at the start of any
      // history, so it could never break \`linearizable\`: it is not offered, which keeps the state space small.
      mayRead: ({ context }) => context.readsLeft > 0 && context.acked.length > 0,
      // An acknowledgement of an earlier commit, received again, is not taken for the pending one.
      ackOfPending: ({ context, event }) => event.type === 'ACK' && event.id === context.next,
      // An answer to an earlier read, received again, is not taken for this one.
      resultOfPending: ({ context, event }) => event.type === 'READ_RESULT' && event.op === context.history.length - 1,
    },
  }).createMachine({
    id: 'client',
    context: ({ input }) => ({ next: 1, acked: [], commitsLeft: input.commits, readsLeft: input.reads, history: [] }),
    initial: 'idle',
    states: {
      idle: {
        on: {
          COMMIT: {
            guard: 'mayCommit',
            target: 'committing',
            actions: [
              assign({ commitsLeft: ({ context }) => context.commitsLeft - 1, history: ({ context }) => [...context.history, { op: 'commit' as const, id: context.next }] }),
              emit(({ context }) => ({ type: 'send' as const, to: PRIMARY, msg: { type: 'COMMIT', id: context.next, from: CLIENT } })),
            ],
          },
          // The endpoint may reach either replica; only one that serves answers (the standby waits to be promoted).
          READ: {
            guard: 'mayRead',
            target: 'reading',
            actions: [
              // The read is the operation about to be recorded, at index history.length.
              emit(({ context }) => ({ type: 'send' as const, to: [PRIMARY, STANDBY], msg: { type: 'READ', op: context.history.length, from: CLIENT } })),
              assign({ readsLeft: ({ context }) => context.readsLeft - 1, history: ({ context }) => [...context.history, { op: 'read' as const }] }),
            ],
          },
        },
      },
      committing: {
        on: {
          ACK: {
            guard: 'ackOfPending',
            target: 'idle',
            actions: assign({
              acked: ({ context, event }) => [...context.acked, event.id],
              next: ({ context }) => context.next + 1,
              history: ({ context }) => complete(context.history, 'ok'),
            }),
          },
        },
      },
      reading: {
        on: { READ_RESULT: { guard: 'resultOfPending', target: 'idle', actions: assign({ history: ({ context, event }) => complete(context.history, event.log) }) } },
      },
    },
  });
}

/** One operation in words, as witnesses name it: `commit 1: ok`, `read: [1]`, `commit 2: pending`. */
export function describeOp(o: ClientOp): string {
  const output = o.output === undefined ? 'pending' : o.op === 'read' ? `[${o.output.join(', ')}]` : o.output;
  return `${o.op === 'commit' ? `commit ${o.id}` : 'read'}: ${output}`;
}
