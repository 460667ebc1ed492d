import { assign, emit, setup } from 'xstate';

/**
 * The replica election of one EBS volume. Replicas live on EBS nodes; the
 * control plane is the authority that designates the primary (writable) replica;
 * the EC2 instance writes to whichever replica it knows as primary.
 *
 * Every message carries its sender in `from`. Machines send by emitting
 * `{ type: 'send', to, msg }`; the world routes it.
 */
export type ElectionVariant = 'buggy' | 'fixed';

export type ReplicaEvent =
  | { type: 'WRITE'; id: number; from: string }
  | { type: 'REPLICATE'; id: number; epoch: number; from: string }
  | { type: 'REPL_ACK'; id: number; epoch: number; from: string }
  | { type: 'GRANT'; epoch: number; from: string }
  | { type: 'DENY'; epoch: number; from: string }
  | { type: 'NEW_PRIMARY'; primary: string; epoch: number; from: string }
  | { type: 'PEER_LOST' }
  | { type: 'RETRY' };

export interface ReplicaContext {
  id: string;
  epoch: number;
  /** The replica this one takes writes from while secondary. */
  primary: string;
  /** While primary: the secondaries every write must reach before it is acknowledged. */
  members: string[];
  /** Ids of the writes this replica holds. */
  writes: number[];
  /** While primary: the write waiting for secondaries, and who has yet to confirm it. */
  pending: { id: number; waiting: string[] } | null;
  /** Set when the replica came back from a crash: it may have missed writes and must not serve. */
  restarted: boolean;
}

export interface ReplicaInput {
  id: string;
  replicas: string[];
  durable?: { epoch: number; writes: number[] };
}

type Emitted = { type: 'send'; to: string | string[]; msg: Record<string, unknown> & { type: string } };

const INSTANCE = 'instance';
const AUTHORITY = 'cp';

export function createReplicaMachine(variant: ElectionVariant) {
  return setup({
    types: {} as { context: ReplicaContext; events: ReplicaEvent; input: ReplicaInput; emitted: Emitted },
    guards: {
      startsAsPrimary: ({ context }) => context.id === context.primary,
      restarted: ({ context }) => context.restarted,
      // Fixed: a secondary takes writes only from the primary of its own epoch. Buggy: from anyone.
      acceptsReplication: ({ context, event }) =>
        event.type === 'REPLICATE' && (variant === 'buggy' || (event.epoch === context.epoch && event.from === context.primary)),
      lastConfirmation: ({ context, event }) =>
        event.type === 'REPL_ACK' &&
        event.epoch === context.epoch &&
        context.pending !== null &&
        context.pending.id === event.id &&
        context.pending.waiting.length === 1 &&
        context.pending.waiting[0] === event.from,
      confirmation: ({ context, event }) =>
        event.type === 'REPL_ACK' && event.epoch === context.epoch && context.pending !== null && context.pending.waiting.includes(event.from),
      deposed: ({ context, event }) => event.type === 'NEW_PRIMARY' && event.epoch > context.epoch && event.primary !== context.id,
      solo: ({ context }) => context.members.length === 0,
      writePending: ({ context }) => context.pending !== null,
    },
  }).createMachine({
    id: 'replica',
    context: ({ input }) => ({
      id: input.id,
      epoch: input.durable?.epoch ?? 1,
      primary: input.replicas[0]!,
      members: input.id === input.replicas[0] && !input.durable ? input.replicas.slice(1) : [],
      writes: input.durable?.writes ?? [],
      pending: null,
      restarted: input.durable !== undefined,
    }),
    initial: 'starting',
    states: {
      starting: {
        always: [{ guard: 'restarted', target: 'stale' }, { guard: 'startsAsPrimary', target: 'primary' }, { target: 'secondary' }],
      },
      primary: {
        on: {
          WRITE: [
            {
              guard: 'solo',
              actions: [
                assign({ writes: ({ context, event }) => [...context.writes, event.id] }),
                emit(({ context, event }) => ({ type: 'send' as const, to: event.from, msg: { type: 'ACK', id: event.id, epoch: context.epoch, from: context.id } })),
              ],
            },
            {
              actions: [
                assign({
                  writes: ({ context, event }) => [...context.writes, event.id],
                  pending: ({ context, event }) => ({ id: event.id, waiting: context.members }),
                }),
                emit(({ context, event }) => ({
                  type: 'send' as const,
                  to: context.members,
                  msg: { type: 'REPLICATE', id: event.id, epoch: context.epoch, from: context.id },
                })),
              ],
            },
          ],
          REPL_ACK: [
            {
              guard: 'lastConfirmation',
              actions: [
                emit(({ context, event }) => ({ type: 'send' as const, to: INSTANCE, msg: { type: 'ACK', id: event.id, epoch: context.epoch, from: context.id } })),
                assign({ pending: null }),
              ],
            },
            {
              guard: 'confirmation',
              actions: assign({ pending: ({ context, event }) => ({ id: context.pending!.id, waiting: context.pending!.waiting.filter((r) => r !== event.from) }) }),
            },
          ],
          PEER_LOST:
            variant === 'buggy'
              ? // 2011: the primary assumes its silent peer failed and carries on alone,
                // acknowledging writes without asking the authority.
                [
                  {
                    guard: 'writePending',
                    actions: [
                      emit(({ context }) => ({ type: 'send' as const, to: INSTANCE, msg: { type: 'ACK', id: context.pending!.id, epoch: context.epoch, from: context.id } })),
                      assign({ members: [], pending: null }),
                    ],
                  },
                  { actions: assign({ members: [] }) },
                ]
              : // Fixed: I/O blocks until the authority confirms who is primary, in a new epoch.
                { target: 'negotiating' },
          NEW_PRIMARY: { guard: 'deposed', target: 'stale', actions: assign({ epoch: ({ event }) => event.epoch, primary: ({ event }) => event.primary }) },
        },
      },
      secondary: {
        on: {
          REPLICATE: {
            guard: 'acceptsReplication',
            actions: [
              assign({ writes: ({ context, event }) => (context.writes.includes(event.id) ? context.writes : [...context.writes, event.id]) }),
              emit(({ context, event }) => ({ type: 'send' as const, to: event.from, msg: { type: 'REPL_ACK', id: event.id, epoch: event.epoch, from: context.id } })),
            ],
          },
          PEER_LOST: { target: 'negotiating' },
          NEW_PRIMARY: { guard: 'deposed', target: 'stale', actions: assign({ epoch: ({ event }) => event.epoch, primary: ({ event }) => event.primary }) },
        },
      },
      negotiating: {
        // I/O to the volume is blocked here: the replica has asked the authority to make it primary.
        entry: emit(({ context }) => ({ type: 'send' as const, to: AUTHORITY, msg: { type: 'REQUEST_PRIMACY', epoch: context.epoch, from: context.id } })),
        on: {
          GRANT: {
            target: 'primary',
            actions: assign({ epoch: ({ event }) => event.epoch, primary: ({ context }) => context.id, members: [], pending: null }),
          },
          DENY: { target: 'stale' },
          NEW_PRIMARY: { guard: 'deposed', target: 'stale', actions: assign({ epoch: ({ event }) => event.epoch, primary: ({ event }) => event.primary }) },
          RETRY: { target: 'negotiating', reenter: true },
        },
      },
      stale: {
        // Out of the volume's replica set: must be re-mirrored before it serves again.
      },
    },
  });
}

export interface AuthorityContext {
  epoch: number;
  primary: string;
  /** The replicas that hold every acknowledged write: the only ones that may be made primary. */
  members: string[];
  replicas: string[];
}

/** The control plane: the one authority that designates the primary replica, one epoch at a time. */
export function createAuthorityMachine() {
  return setup({
    types: {} as {
      context: AuthorityContext;
      events: { type: 'REQUEST_PRIMACY'; epoch: number; from: string };
      input: { replicas: string[] };
      emitted: Emitted;
    },
    guards: {
      // Only a member of the current replica set, up to date with the current epoch, may be made primary.
      grantable: ({ context, event }) => event.epoch === context.epoch && context.members.includes(event.from),
    },
  }).createMachine({
    id: 'control-plane',
    context: ({ input }) => ({ epoch: 1, primary: input.replicas[0]!, members: input.replicas, replicas: input.replicas }),
    initial: 'serving',
    states: {
      serving: {
        on: {
          REQUEST_PRIMACY: [
            {
              guard: 'grantable',
              actions: [
                assign({ epoch: ({ context }) => context.epoch + 1, primary: ({ event }) => event.from, members: ({ event }) => [event.from] }),
                emit(({ context }) => ({ type: 'send' as const, to: context.primary, msg: { type: 'GRANT', epoch: context.epoch, from: AUTHORITY } })),
                emit(({ context }) => ({
                  type: 'send' as const,
                  to: [INSTANCE, ...context.replicas.filter((r) => r !== context.primary)],
                  msg: { type: 'NEW_PRIMARY', primary: context.primary, epoch: context.epoch, from: AUTHORITY },
                })),
              ],
            },
            {
              actions: emit(({ context, event }) => ({ type: 'send' as const, to: event.from, msg: { type: 'DENY', epoch: context.epoch, from: AUTHORITY } })),
            },
          ],
        },
      },
    },
  });
}

export interface InstanceContext {
  /** The replica the instance believes is primary, and that replica's epoch. */
  primary: string;
  epoch: number;
  next: number;
  /** Ids of the writes the volume has acknowledged. */
  acked: number[];
}

/** The EC2 instance: writes one block at a time to the replica it knows as primary. */
export function createInstanceMachine() {
  return setup({
    types: {} as {
      context: InstanceContext;
      events:
        | { type: 'WRITE' }
        | { type: 'ACK'; id: number; epoch: number; from: string }
        | { type: 'NEW_PRIMARY'; primary: string; epoch: number; from: string };
      input: { replicas: string[] };
      emitted: Emitted;
    },
    guards: {
      ackOfPending: ({ context, event }) => event.type === 'ACK' && event.id === context.next,
      newer: ({ context, event }) => event.type === 'NEW_PRIMARY' && event.epoch > context.epoch,
    },
  }).createMachine({
    id: 'instance',
    context: ({ input }) => ({ primary: input.replicas[0]!, epoch: 1, next: 1, acked: [] }),
    initial: 'idle',
    on: {
      NEW_PRIMARY: { guard: 'newer', actions: assign({ primary: ({ event }) => event.primary, epoch: ({ event }) => event.epoch }) },
    },
    states: {
      idle: {
        on: {
          WRITE: {
            target: 'writing',
            actions: emit(({ context }) => ({ type: 'send' as const, to: context.primary, msg: { type: 'WRITE', id: context.next, from: INSTANCE } })),
          },
        },
      },
      writing: {
        on: {
          ACK: { guard: 'ackOfPending', target: 'idle', actions: assign({ acked: ({ context, event }) => [...context.acked, event.id], next: ({ context }) => context.next + 1 }) },
        },
      },
    },
  });
}
