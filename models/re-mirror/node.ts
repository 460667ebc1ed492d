import { and, assign, emit, setup } from 'xstate';
import { CONTROL_PLANE, clientOf, type CopyMsg, type Emitted, type ReplicateMsg, type ToNode, type WriteMsg } from './messages.js';
import type { RemirrorPolicy } from './policy.js';

/**
 * One EBS node. It stores replicas of several volumes, each paired with a peer
 * replica on another node. Slot limits live in the control plane's books; a
 * node stores what it is sent.
 *
 * Per replica:
 * - `serving`: paired with its peer; a write reaching it is copied to the peer.
 * - `asking`: the peer is lost; the node has asked, or will ask, the control plane. I/O is blocked.
 * - `backoff` (fixed): the control plane found no space; wait until space frees up, or the peer comes back.
 * - `copying`: the control plane granted a new node; the data is on its way; I/O still blocked.
 * - `replaced`: another node is taking this replica's place; the data is kept until released.
 */
export type ReplicaStatus = 'serving' | 'asking' | 'backoff' | 'copying' | 'replaced';

export interface Replica {
  /** The last write this copy holds (0: the volume's contents before the model starts). */
  version: number;
  peer: string;
  status: ReplicaStatus;
}

export interface NodeContext {
  id: string;
  replicas: Record<string, Replica>;
}

/** What survives a crash: the disk, with each replica's data and peer. */
export interface NodeDurable {
  replicas: Record<string, Replica>;
}

export interface NodeInput {
  id: string;
  /** Volume → peer, for the replicas placed on this node at the start, all serving. */
  replicas: Record<string, string>;
  durable?: NodeDurable;
}

export type NodeEvent =
  | ToNode
  | CopyMsg
  | WriteMsg
  | ReplicateMsg
  /** Timers the world fires only when their condition holds (see world.ts). */
  | { type: 'PEER_LOST'; vol: string }
  | { type: 'RETRY'; vol: string }
  | { type: 'PEER_BACK'; vol: string };

const withReplica = (context: NodeContext, vol: string, patch: Partial<Replica>): Record<string, Replica> => ({
  ...context.replicas,
  [vol]: { ...context.replicas[vol]!, ...patch },
});

const withoutReplica = (context: NodeContext, vol: string): Record<string, Replica> => {
  const { [vol]: _freed, ...rest } = context.replicas;
  return rest;
};

const statusOf = (context: NodeContext, event: NodeEvent): ReplicaStatus | undefined => ('vol' in event ? context.replicas[event.vol]?.status : undefined);

function initialReplicas(input: NodeInput): Record<string, Replica> {
  if (input.durable) {
    // After a crash the node cannot know whether it was replaced meanwhile: every replica asks again.
    return Object.fromEntries(Object.entries(input.durable.replicas).map(([vol, r]) => [vol, { ...r, status: 'asking' as const }]));
  }
  return Object.fromEntries(Object.entries(input.replicas).map(([vol, peer]) => [vol, { version: 0, peer, status: 'serving' as const }]));
}

/** The message asking the control plane about the replica of the event's volume. */
function request(type: 'REMIRROR' | 'RECONNECT', context: NodeContext, event: NodeEvent): Emitted {
  const vol = (event as { vol: string }).vol;
  return { type: 'send', to: CONTROL_PLANE, msg: { type, vol, peer: context.replicas[vol]!.peer, from: context.id } };
}

export function createNodeMachine(policy: RemirrorPolicy) {
  return setup({
    types: {} as { context: NodeContext; events: NodeEvent; input: NodeInput; emitted: Emitted },
    actions: {
      /** A re-mirror negotiation: "my peer is gone, find me a node with a free slot". */
      askForNewNode: emit(({ context, event }) => request('REMIRROR', context, event)),
      /** Fixed: "my previous peer is reachable again, put us back together". */
      askToReconnect: emit(({ context, event }) => request('RECONNECT', context, event)),
      markAsking: assign({ replicas: ({ context, event }) => withReplica(context, (event as { vol: string }).vol, { status: 'asking' }) }),
    },
    guards: {
      serving: ({ context, event }) => statusOf(context, event) === 'serving',
      servingOrReplaced: ({ context, event }) => statusOf(context, event) === 'serving' || statusOf(context, event) === 'replaced',
      servingPeerOf: ({ context, event }) => statusOf(context, event) === 'serving' && context.replicas[(event as ReplicateMsg).vol]!.peer === (event as ReplicateMsg).from,
      asking: ({ context, event }) => statusOf(context, event) === 'asking',
      // Asking again: a request or copy went unanswered, or (fixed) the back-off is over.
      mayAskAgain: ({ context, event }) => ['asking', 'copying', 'backoff'].includes(statusOf(context, event) ?? ''),
      // Fixed: a replica whose request or copy went unanswered, or that is backing off, tries its previous peer first.
      mayReconnect: ({ context, event }) => policy.reconnectFirst && ['asking', 'backoff', 'copying'].includes(statusOf(context, event) ?? ''),
      backsOff: () => policy.backOff,
      releasesEarly: () => policy.releaseWhenReplaced,
      holds: ({ context, event }) => statusOf(context, event) !== undefined,
      holdsUnreplaced: ({ context, event }) => {
        const status = statusOf(context, event);
        return status !== undefined && status !== 'replaced';
      },
    },
  }).createMachine({
    id: 'ebs-node',
    context: ({ input }) => ({ id: input.id, replicas: initialReplicas(input) }),
    initial: 'up',
    states: {
      up: {
        on: {
          // ---- losing the peer and negotiating ---------------------------------
          // A serving replica that loses its peer asks for a new node; so does a replaced one that loses
          // the source copying in its place (the control plane then voids that grant).
          PEER_LOST: { guard: 'servingOrReplaced', actions: ['markAsking', 'askForNewNode'] },
          RETRY: { guard: 'mayAskAgain', actions: ['markAsking', 'askForNewNode'] },
          PEER_BACK: { guard: 'mayReconnect', actions: ['markAsking', 'askToReconnect'] },
          NO_SPACE: [
            // Fixed: back off until space frees up or the previous peer is reachable again.
            { guard: and(['asking', 'backsOff']), actions: assign({ replicas: ({ context, event }) => withReplica(context, event.vol, { status: 'backoff' }) }) },
            // 2011: ask again at once.
            { guard: 'asking', actions: 'askForNewNode' },
          ],
          GRANT: [
            {
              guard: 'asking',
              actions: [
                assign({ replicas: ({ context, event }) => withReplica(context, event.vol, { status: 'copying' }) }),
                emit(({ context, event }) => ({ type: 'send' as const, to: event.target, msg: { type: 'COPY', vol: event.vol, version: context.replicas[event.vol]!.version, from: context.id } })),
              ],
            },
            // Put back together with its peer meanwhile (or the grant is stale): hand the reserved slot back.
            { actions: emit(({ context, event }) => ({ type: 'send' as const, to: CONTROL_PLANE, msg: { type: 'CANCEL', vol: event.vol, from: context.id } })) },
          ],
          DONE: { guard: 'holdsUnreplaced', actions: assign({ replicas: ({ context, event }) => withReplica(context, event.vol, { status: 'serving', peer: event.peer }) }) },
          // The control plane paired the previous replicas again (voiding any grant): even a replaced copy serves again.
          REJOIN: { guard: 'holds', actions: assign({ replicas: ({ context, event }) => withReplica(context, event.vol, { status: 'serving', peer: event.peer }) }) },
          REPLACED: [
            // The flaw of `release-before-confirm`: free the copy on hearing of the replacement.
            { guard: and(['holds', 'releasesEarly']), actions: assign({ replicas: ({ context, event }) => withoutReplica(context, event.vol) }) },
            // Fixed: keep the data until the control plane relays the new owner's confirmation.
            { guard: 'holds', actions: assign({ replicas: ({ context, event }) => withReplica(context, event.vol, { status: 'replaced' }) }) },
          ],
          RELEASE: { guard: 'holds', actions: assign({ replicas: ({ context, event }) => withoutReplica(context, event.vol) }) },
          WIPE: {
            actions: [assign({ replicas: {} }), emit(({ context }) => ({ type: 'send' as const, to: CONTROL_PLANE, msg: { type: 'WIPED', from: context.id } }))],
          },
          // ---- becoming the new replica ------------------------------------------
          COPY: {
            actions: [
              assign({ replicas: ({ context, event }) => ({ ...context.replicas, [event.vol]: { version: event.version, peer: event.from, status: 'serving' as const } }) }),
              emit(({ context, event }) => ({ type: 'send' as const, to: CONTROL_PLANE, msg: { type: 'OWNED', vol: event.vol, from: context.id } })),
            ],
          },
          // ---- I/O: only while serving, which is how re-mirroring blocks it -----
          WRITE: {
            guard: 'serving',
            actions: [
              assign({ replicas: ({ context, event }) => withReplica(context, event.vol, { version: 1 }) }),
              emit(({ context, event }) => ({ type: 'send' as const, to: context.replicas[event.vol]!.peer, msg: { type: 'REPLICATE', vol: event.vol, version: 1, from: context.id } })),
            ],
          },
          REPLICATE: {
            guard: 'servingPeerOf',
            actions: [
              assign({ replicas: ({ context, event }) => withReplica(context, event.vol, { version: event.version }) }),
              // The last link of the chain: its acknowledgement means both copies hold the write.
              emit(({ context, event }) => ({ type: 'send' as const, to: clientOf(event.vol), msg: { type: 'ACK', vol: event.vol, from: context.id } })),
            ],
          },
        },
      },
    },
  });
}
