import { assign, emit, setup } from 'xstate';
import { DESIGN_FIXED, designOf, type ElectionDesign } from './design.js';
import { AUTHORITY, INSTANCE, without, type Announcement, type Send } from './names.js';

/**
 * One replica of an EBS volume, on an EBS node. The primary copies each write
 * of the instance to every secondary of its epoch and acknowledges it only
 * once all have confirmed. A replica that suspects a peer (its timer may fire
 * at any time, also while the peer is well) blocks I/O and asks the authority.
 */
export type ReplicaEvent =
  | { type: 'WRITE'; id: number; from: string }
  | { type: 'REPLICATE'; id: number; epoch: number; from: string }
  | { type: 'REPL_ACK'; id: number; epoch: number; from: string }
  | { type: 'FENCED'; epoch: number; from: string }
  | Announcement
  | { type: 'PEER_LOST' }
  | { type: 'RETRY' };

export interface ReplicaContext {
  id: string;
  epoch: number;
  /** The primary of this replica's epoch. */
  primary: string;
  /** The replica set of this replica's epoch, as the authority announced it (sorted, primary included). */
  members: string[];
  /** The newest write this replica holds (writes are numbered by the instance, one at a time); 0 for none. */
  block: number;
  /** While primary: the write waiting for secondaries, and who has yet to confirm it. */
  pending: { id: number; waiting: string[] } | null;
  /** While negotiating: the peers this replica suspects (sorted). */
  suspects: string[];
  /** The epoch in which this replica asked the authority for primacy (0: never); it gave that epoch's primary up. */
  asked: number;
  /** Just back from a crash: it must hear from the authority before it serves. */
  restarted: boolean;
}

export interface ReplicaInput {
  id: string;
  replicas: string[];
  /** What survived a crash: the replica restarts from it, with I/O blocked until the authority answers. */
  durable?: Pick<ReplicaContext, 'epoch' | 'primary' | 'members' | 'block'> & Partial<Pick<ReplicaContext, 'asked' | 'suspects'>>;
}

/** What a replica keeps on disk: its epoch and data, and (when the design says so) that it asked for primacy. */
export const durablePart = (design: ElectionDesign) => (c: ReplicaContext): NonNullable<ReplicaInput['durable']> =>
  design.requestsAreDurable
    ? { epoch: c.epoch, primary: c.primary, members: c.members, block: c.block, asked: c.asked, suspects: c.suspects }
    : { epoch: c.epoch, primary: c.primary, members: c.members, block: c.block };

const send = (to: string | string[], msg: Send['msg']): Send => ({ type: 'send', to, msg });
const secondariesOf = (c: ReplicaContext) => without(c.members, c.id);

export function createReplicaMachine(variant: ElectionDesign | string = DESIGN_FIXED) {
  const design = designOf(variant);
  /** Whether an announcement replaces what this replica knows (a restarted replica also takes up its own epoch's). */
  const takesUp = (c: ReplicaContext, e: ReplicaEvent, recovering: boolean): e is Announcement =>
    e.type === 'NEW_PRIMARY' && (e.epoch > c.epoch || (recovering && e.epoch === c.epoch && c.asked < c.epoch) || (!design.adoptNewerEpochsOnly && e.epoch !== c.epoch));
  /** The same three outcomes of an announcement in every state that listens to one. */
  const onAnnouncement = (recovering: boolean) => [
    { guard: { type: 'namesMePrimary' as const, params: { recovering } }, target: 'primary', actions: 'adopt' as const },
    { guard: { type: 'namesMeSecondary' as const, params: { recovering } }, target: 'secondary', actions: 'adopt' as const },
    { guard: { type: 'leavesMeOut' as const, params: { recovering } }, target: 'stale', actions: 'adopt' as const },
  ];

  return setup({
    types: {} as { context: ReplicaContext; events: ReplicaEvent; input: ReplicaInput; emitted: Send },
    guards: {
      restarted: ({ context }) => context.restarted,
      restartedAsking: ({ context }) => context.restarted && context.asked === context.epoch,
      startsAsPrimary: ({ context }) => context.id === context.primary,
      supersededWrite: ({ context, event }) => event.type === 'WRITE' && event.id < context.block,
      repeatOfPending: ({ context, event }) => event.type === 'WRITE' && context.pending?.id === event.id,
      alone: ({ context }) => secondariesOf(context).length === 0,
      // A primary notices a lost secondary when a write it sent goes unconfirmed; the timer may fire early.
      awaitsConfirmation: ({ context }) => context.pending !== null,
      hasPrimaryPeer: ({ context }) => context.primary !== context.id,
      lastConfirmation: ({ context, event }) =>
        event.type === 'REPL_ACK' && event.epoch === context.epoch && context.pending?.id === event.id && context.pending.waiting.length === 1 && context.pending.waiting[0] === event.from,
      confirmation: ({ context, event }) =>
        event.type === 'REPL_ACK' && event.epoch === context.epoch && context.pending?.id === event.id && context.pending.waiting.includes(event.from),
      // Secondaries take writes only from the primary of their own epoch (unless the design says otherwise).
      acceptsReplication: ({ context, event }) =>
        event.type === 'REPLICATE' && (!design.secondariesRefuseStaleEpoch || (event.epoch === context.epoch && event.from === context.primary)),
      staleWriter: ({ context, event }) => event.type === 'REPLICATE' && event.epoch < context.epoch,
      newerWriter: ({ context, event }) => event.type === 'REPLICATE' && event.epoch > context.epoch,
      newerEpoch: ({ context, event }) => event.type === 'FENCED' && event.epoch > context.epoch,
      writePending: ({ context }) => design.retries && context.pending !== null,
      retries: () => design.retries,
      namesMePrimary: ({ context, event }, p: { recovering: boolean }) => takesUp(context, event, p.recovering) && event.primary === context.id,
      namesMeSecondary: ({ context, event }, p: { recovering: boolean }) => takesUp(context, event, p.recovering) && event.members.includes(context.id),
      leavesMeOut: ({ context, event }, p: { recovering: boolean }) => takesUp(context, event, p.recovering),
    },
    actions: {
      adopt: assign(({ event }) => {
        const a = event as Announcement;
        return { epoch: a.epoch, primary: a.primary, members: a.members, pending: null, suspects: [], restarted: false };
      }),
    },
  }).createMachine({
    id: 'replica',
    context: ({ input }) => ({
      id: input.id,
      epoch: input.durable?.epoch ?? 1,
      primary: input.durable?.primary ?? input.replicas[0]!,
      members: input.durable?.members ?? [...input.replicas],
      block: input.durable?.block ?? 0,
      pending: null,
      suspects: input.durable?.suspects ?? [],
      asked: input.durable?.asked ?? 0,
      restarted: input.durable !== undefined,
    }),
    initial: 'starting',
    states: {
      starting: {
        // A replica that had asked for primacy before it crashed asks again; any other comes back asking where things stand.
        always: [{ guard: 'restartedAsking', target: 'negotiating' }, { guard: 'restarted', target: 'recovering' }, { guard: 'startsAsPrimary', target: 'primary' }, { target: 'secondary' }],
      },
      primary: {
        on: {
          WRITE: [
            // A late copy of a write older than what the primary holds: the instance has had it acknowledged and moved on.
            { guard: 'supersededWrite' },
            // The instance resent the write in progress: copy it again to whoever has not confirmed, without starting over.
            {
              guard: 'repeatOfPending',
              actions: emit(({ context }) => send(context.pending!.waiting, { type: 'REPLICATE', id: context.pending!.id, epoch: context.epoch, from: context.id })),
            },
            {
              guard: 'alone',
              actions: [
                assign({ block: ({ context, event }) => Math.max(context.block, event.id) }),
                emit(({ context, event }) => send(INSTANCE, { type: 'ACK', id: event.id, epoch: context.epoch, from: context.id })),
              ],
            },
            {
              actions: [
                assign({
                  block: ({ context, event }) => Math.max(context.block, event.id),
                  pending: ({ context, event }) => ({ id: event.id, waiting: secondariesOf(context) }),
                }),
                emit(({ context, event }) => send(secondariesOf(context), { type: 'REPLICATE', id: event.id, epoch: context.epoch, from: context.id })),
              ],
            },
          ],
          REPL_ACK: [
            {
              guard: 'lastConfirmation',
              actions: [emit(({ context, event }) => send(INSTANCE, { type: 'ACK', id: event.id, epoch: context.epoch, from: context.id })), assign({ pending: null })],
            },
            { guard: 'confirmation', actions: assign({ pending: ({ context, event }) => ({ id: context.pending!.id, waiting: without(context.pending!.waiting, event.from) }) }) },
          ],
          RETRY: {
            guard: 'writePending',
            actions: emit(({ context }) => send(context.pending!.waiting, { type: 'REPLICATE', id: context.pending!.id, epoch: context.epoch, from: context.id })),
          },
          // A secondary of a newer epoch refused this primary's write: it was deposed. Ask the authority where things stand.
          FENCED: { guard: 'newerEpoch', target: 'recovering' },
          PEER_LOST: design.authorityDecidesMembership
            ? // Block I/O and let the authority decide, in a new epoch.
              { guard: 'awaitsConfirmation', target: 'negotiating', actions: assign({ suspects: ({ context }) => context.pending!.waiting, pending: null }) }
            : // Without the authority's say: drop the silent secondaries and carry on, acknowledging the write they held up.
              {
                guard: 'awaitsConfirmation',
                actions: [
                  emit(({ context }) => send(INSTANCE, { type: 'ACK', id: context.pending!.id, epoch: context.epoch, from: context.id })),
                  assign({ members: ({ context }) => context.members.filter((m) => !context.pending!.waiting.includes(m)), pending: null }),
                ],
              },
          NEW_PRIMARY: onAnnouncement(false),
        },
      },
      secondary: {
        on: {
          REPLICATE: [
            {
              guard: 'acceptsReplication',
              actions: [
                assign({ block: ({ context, event }) => (design.applyNewerWritesOnly ? Math.max(context.block, event.id) : event.id) }),
                emit(({ context, event }) => send(event.from, { type: 'REPL_ACK', id: event.id, epoch: event.epoch, from: context.id })),
              ],
            },
            // A write from a deposed primary: refuse it and say which epoch is current.
            { guard: 'staleWriter', actions: emit(({ context, event }) => send(event.from, { type: 'FENCED', epoch: context.epoch, from: context.id })) },
            // A primary of a newer epoch: this replica missed the announcement, so it asks.
            { guard: 'newerWriter', target: 'recovering' },
          ],

          PEER_LOST: { guard: 'hasPrimaryPeer', target: 'negotiating', actions: assign({ suspects: ({ context }) => [context.primary] }) },
          NEW_PRIMARY: onAnnouncement(false),
        },
      },
      negotiating: {
        // I/O to the volume is blocked here until the authority says who is primary.
        entry: [
          assign({ asked: ({ context }) => context.epoch, restarted: false }),
          emit(({ context }) => send(AUTHORITY, { type: 'REQUEST_PRIMACY', epoch: context.epoch, suspects: context.suspects, from: context.id })),
        ],
        on: {
          RETRY: { guard: 'retries', target: 'negotiating', reenter: true },
          NEW_PRIMARY: onAnnouncement(false),
        },
      },
      recovering: {
        // Back from a crash, or told of a newer epoch: I/O blocked until the authority says where the volume stands.
        entry: emit(({ context }) => send(AUTHORITY, { type: 'ASK', from: context.id })),
        on: {
          RETRY: { guard: 'retries', target: 'recovering', reenter: true },
          NEW_PRIMARY: onAnnouncement(true),
        },
      },
      stale: {
        // Out of the volume's replica set: it must be re-mirrored before it serves again.

      },
    },
  });
}
