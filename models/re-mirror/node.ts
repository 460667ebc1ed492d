import { and, assign, emit, enqueueActions, setup } from 'xstate';
import { CONTROL_PLANE, clientOf, send, type CopyMsg, type Emitted, type NotHeldMsg, type PingMsg, type PongMsg, type ReadCheckMsg, type ReadMsg, type ReplicateMsg, type SuspectMsg, type ToNode, type WriteMsg } from './messages.js';
import type { RemirrorPolicy } from './policy.js';

/**
 * One EBS node. It stores replicas of several volumes, each paired with a peer
 * replica on another node. Slot limits live in the control plane's books; a
 * node stores what it is sent.
 *
 * Per replica:
 * - `serving`: paired with its peer; a write reaching it is copied to the peer.
 * - `asking`: the peer is lost; the node asks the control plane for a new node, again and again until answered. I/O is blocked.
 * - `backoff` (fixed): no space was found; the node stops searching and probes its previous peer.
 * - `copying`: the control plane granted a new node; the data is on its way; I/O still blocked.
 * - `copied`: this node received a copy under a grant and waits to be paired (fixed).
 * - `replaced`: another node is taking this replica's place; the data is kept until released.
 */
export type ReplicaStatus = 'serving' | 'asking' | 'backoff' | 'copying' | 'copied' | 'replaced';

export interface Replica {
  /** The last write this copy holds (0: the volume's contents before the model starts). */
  version: number;
  peer: string;
  /** The epoch of the pairing or of the grant this copy belongs to. */
  epoch: number;
  status: ReplicaStatus;
  /** While copying: the epoch of the grant being carried out. */
  grant?: number;
  /** While backing off: whether it has probed its previous peer (once per back-off; an answer from the peer re-arms it). */
  probed?: boolean;
  /** While backing off: the previous peer answered that it holds no replica, so probing it is futile (the fix waits for the control plane). */
  peerGone?: boolean;
  /**
   * While backing off: whether it still asks the control plane on its retry timer (its pairing may have
   * changed, or its request or the answer may be lost). The fix asks until answered, and again after each
   * RECONNECT; the first fix asked once more only.
   */
  asks?: boolean;
}

export interface NodeContext {
  id: string;
  replicas: Record<string, Replica>;
  /** The last reclaim number this node has carried out (its disk was erased then). */
  wiped: number;
}

/** What survives a crash: the disk, with each replica's data, peer and epoch, and the last reclaim carried out. */
export interface NodeDurable {
  replicas: Record<string, Replica>;
  wiped: number;
}

export interface NodeInput {
  id: string;
  /** Volume → peer, for the replicas placed on this node at the start, all serving in epoch 0. */
  replicas: Record<string, string>;
  durable?: NodeDurable;
}

type VolumeEvent = { type: string; vol: string; from?: string };
export type NodeEvent =
  | ToNode
  | CopyMsg
  | PingMsg
  | PongMsg
  | NotHeldMsg
  | WriteMsg
  | ReplicateMsg
  | ReadMsg
  | ReadCheckMsg
  | SuspectMsg
  /** The failure detector's timer: the peer is down or cut off (see world.ts). */
  | { type: 'PEER_LOST'; vol: string }
  /** The node's own retry timer for this replica. */
  | { type: 'RETRY'; vol: string }
  /** The node's own timer to probe its previous peer while backing off. */
  | { type: 'PROBE'; vol: string };

const withReplica = (context: NodeContext, vol: string, patch: Partial<Replica>): Record<string, Replica> => ({
  ...context.replicas,
  [vol]: { ...context.replicas[vol]!, ...patch },
});

const withoutReplica = (context: NodeContext, vol: string): Record<string, Replica> => {
  const { [vol]: _freed, ...rest } = context.replicas;
  return rest;
};

const replicaOf = (context: NodeContext, event: NodeEvent): Replica | undefined => ('vol' in event ? context.replicas[event.vol] : undefined);
const statusOf = (context: NodeContext, event: NodeEvent) => replicaOf(context, event)?.status;

function initialState(input: NodeInput, policy: RemirrorPolicy): { replicas: Record<string, Replica>; wiped: number } {
  if (input.durable) {
    // After a crash the node cannot know what changed meanwhile: a replica that served or searched
    // asks the control plane again; a copy or a replaced replica keeps waiting.
    const replicas = Object.fromEntries(
      Object.entries(input.durable.replicas).map(([vol, r]) => [vol, r.status === 'copied' || r.status === 'replaced' ? { ...r } : { ...r, status: 'asking' as const, grant: undefined }]),
    );
    return { replicas, wiped: input.durable.wiped };
  }
  const replicas = Object.fromEntries(Object.entries(input.replicas).map(([vol, peer]) => [vol, { version: 0, peer, epoch: 0, status: 'serving' as const }]));
  return { replicas, wiped: 0 };
}

/**
 * The negotiation "find me a new node for this volume"; sent again, it merges with an equal one still in flight.
 * It says so when the peer answered a probe that it holds nothing (fixed): the control plane then asks the peer.
 */
function remirrorRequest(context: NodeContext, vol: string, policy: RemirrorPolicy): Emitted {
  const r = context.replicas[vol]!;
  return send(CONTROL_PLANE, { type: 'REMIRROR', vol, peer: r.peer, epoch: r.epoch, from: context.id, ...(policy.askReplacedReplica && r.peerGone ? { peerEmpty: true } : {}) });
}

export function createNodeMachine(policy: RemirrorPolicy) {
  /** Whether a message of epoch `epoch` about a copy may act on this node's copy (unfenced: always). */
  const notOlder = (r: Replica | undefined, epoch: number) => r === undefined || !policy.fenceRelease || epoch >= r.epoch;

  return setup({
    types: {} as { context: NodeContext; events: NodeEvent; input: NodeInput; emitted: Emitted },
    actions: {
      startAsking: enqueueActions(({ context, event, enqueue }) => {
        const vol = (event as VolumeEvent).vol;
        const request = remirrorRequest(context, vol, policy);
        enqueue.assign({ replicas: withReplica(context, vol, { status: 'asking', probed: undefined, asks: undefined, peerGone: undefined }) });
        enqueue.emit(context.replicas[vol]!.status === 'replaced' ? { ...request, msg: { ...request.msg, replaced: true } } : request);
      }),
      /** Carry out a grant: stream this copy to the target; I/O stays blocked until paired. */
      startCopying: enqueueActions(({ context, event, enqueue }) => {
        const grant = event as Extract<NodeEvent, { type: 'GRANT' }>;
        enqueue.assign({ replicas: withReplica(context, grant.vol, { status: 'copying', grant: grant.epoch }) });
        enqueue.emit(send(grant.target, { type: 'COPY', vol: grant.vol, version: context.replicas[grant.vol]!.version, epoch: grant.epoch, from: context.id }));
      }),
    },
    guards: {
      serving: ({ context, event }) => statusOf(context, event) === 'serving',
      servingOrReplaced: ({ context, event }) => statusOf(context, event) === 'serving' || statusOf(context, event) === 'replaced',
      // Asking again: the request, the grant or the pairing may be lost.
      mayAskAgain: ({ context, event }) => statusOf(context, event) === 'asking' || statusOf(context, event) === 'copying',
      copiedUnpaired: ({ context, event }) => statusOf(context, event) === 'copied',
      backingOff: ({ context, event }) => statusOf(context, event) === 'backoff',
      mayReask: ({ context, event }) => statusOf(context, event) === 'backoff' && replicaOf(context, event)!.asks === true,
      // The fix probes on every firing of its timer until the peer answers; the fix before probed once per back-off.
      mayProbe: ({ context, event }) => {
        const r = replicaOf(context, event);
        return r?.status === 'backoff' && !r.peerGone && (policy.probeUntilAnswered || !r.probed);
      },
      asking: ({ context, event }) => statusOf(context, event) === 'asking',
      backsOff: () => policy.backoffReconnect,
      asksUntilAnswered: () => policy.backoffAsksUntilAnswered,
      probeUntilAnswered: () => policy.probeUntilAnswered,
      // A replaced replica still holds the data: when the grant that replaced it is cancelled, the control plane may re-mirror from it.
      waitingForNode: ({ context, event }) => {
        const status = statusOf(context, event);
        return status === 'asking' || status === 'backoff' || (policy.requeueOnCancel && status === 'replaced');
      },
      // The grant resent, or a newer one (the control plane re-granted after a void): send the copy again.
      copyingThisGrant: ({ context, event }) => {
        const r = replicaOf(context, event);
        return r?.status === 'copying' && (event as { epoch: number }).epoch >= r.grant!;
      },
      servingOlderPairing: ({ context, event }) => {
        const r = replicaOf(context, event);
        return policy.grantOverOlderPairing && r?.status === 'serving' && r.epoch < (event as { epoch: number }).epoch;
      },
      notWaiting: ({ context, event }) => statusOf(context, event) === 'serving' || statusOf(context, event) === undefined,
      holds: ({ context, event }) => replicaOf(context, event) !== undefined,
      releasesEarly: () => !policy.holdUntilConfirmed,
      // A REPLACED from a grant no newer than the copy held is stale: the copy was paired again since (unfenced: always obeyed).
      replacedNow: ({ context, event }) => {
        const r = replicaOf(context, event);
        return r !== undefined && (!policy.fenceReplaced || r.epoch < (event as { epoch: number }).epoch);
      },
      releasable: ({ context, event }) => {
        const r = replicaOf(context, event);
        return r !== undefined && (!policy.fenceRelease || r.epoch <= (event as { upTo: number }).upTo);
      },
      pairable: ({ context, event }) => {
        const r = replicaOf(context, event);
        const epoch = (event as { epoch: number }).epoch;
        if (r === undefined || !notOlder(r, epoch)) return false;
        // A repeat of the pairing this copy already had: only a copy still waiting for it (or serving in it) may take it.
        return !policy.fenceRepeatPairing || epoch !== r.epoch || r.status === 'copied' || r.status === 'serving';
      },
      freshCopy: ({ context, event }) => {
        const r = replicaOf(context, event);
        const e = event as CopyMsg;
        if (r === undefined || !policy.fenceRelease) return true;
        return e.epoch > r.epoch || (e.epoch === r.epoch && r.status === 'copied');
      },
      newReclaim: ({ context, event }) => !policy.fenceWipe || (event as { wipe: number }).wipe > context.wiped,
      servingPeerOf: ({ context, event }) => statusOf(context, event) === 'serving' && replicaOf(context, event)!.peer === (event as ReadCheckMsg).from,
      // A write from the peer of this pairing, not of an earlier one with the same node (unfenced: any epoch).
      servingPeerInEpoch: ({ context, event }) => {
        const r = replicaOf(context, event);
        const e = event as ReplicateMsg;
        return r?.status === 'serving' && r.peer === e.from && (!policy.fenceReplicate || e.epoch === r.epoch);
      },
      readsConfirmedByPeer: () => policy.readsConfirmedByPeer,
    },
  }).createMachine({
    id: 'ebs-node',
    context: ({ input }) => ({ id: input.id, ...initialState(input, policy) }),
    initial: 'up',
    states: {
      up: {
        on: {
          // ---- losing the peer and negotiating ---------------------------------
          // A replaced replica that loses the source copying in its place asks too (the control plane then re-mirrors from it).
          PEER_LOST: { guard: 'servingOrReplaced', actions: 'startAsking' },
          // A false suspicion looks the same to the node as a real one.
          SUSPECT: { guard: 'serving', actions: 'startAsking' },
          RETRY: [
            {
              guard: 'mayAskAgain',
              actions: emit(({ context, event }) => remirrorRequest(context, event.vol, policy)),
            },
            // Backing off: ask again, in case the pairing changed and its news was lost (the control plane answers a repeat from its books).
            {
              guard: 'mayReask',
              actions: [
                assign({ replicas: ({ context, event }) => (policy.backoffAsksUntilAnswered ? context.replicas : withReplica(context, event.vol, { asks: false })) }),
                emit(({ context, event }) => remirrorRequest(context, event.vol, policy)),
              ],
            },
            // A copy whose pairing has not arrived confirms again (the OWNED or the PAIRED may be lost).
            {
              guard: 'copiedUnpaired',
              actions: emit(({ context, event }) => send(CONTROL_PLANE, { type: 'OWNED', vol: event.vol, epoch: context.replicas[event.vol]!.epoch, from: context.id })),
            },
          ],
          NO_SPACE: [
            // Fixed: stop searching; probe the previous peer and wait for the control plane to offer space.
            { guard: and(['asking', 'backsOff']), actions: assign({ replicas: ({ context, event }) => withReplica(context, event.vol, { status: 'backoff', probed: false, asks: true }) }) },
            // Backing off, the answer to its latest ask: stop asking.
            { guard: and(['backingOff', 'asksUntilAnswered']), actions: assign({ replicas: ({ context, event }) => withReplica(context, event.vol, { asks: false }) }) },
            // 2011: search again at once.
            { guard: 'asking', actions: emit(({ context, event }) => remirrorRequest(context, event.vol, policy)) },
          ],
          PROBE: {
            guard: 'mayProbe',
            actions: [assign({ replicas: ({ context, event }) => withReplica(context, event.vol, { probed: true }) }), emit(({ context, event }) => send(context.replicas[event.vol]!.peer, { type: 'PING', vol: event.vol, epoch: context.replicas[event.vol]!.epoch, from: context.id }))],
          },
          // The previous peer still holds the volume: answer with the epoch it holds.
          // A backing-off replica that hears from its peer may probe it again (news of a rejoin may have been lost).
          PING: [
            {
            guard: 'holds',
            actions: [
              // The fix also asks the control plane again until answered: the peer may be about to rejoin it, and that news may be lost.
              assign({
                replicas: ({ context, event }) =>
                  context.replicas[event.vol]!.status === 'backoff' ? withReplica(context, event.vol, policy.backoffAsksUntilAnswered ? { probed: false, asks: true } : { probed: false }) : context.replicas,
              }),
              emit(({ context, event }) => send(event.from, { type: 'PONG', vol: event.vol, epoch: context.replicas[event.vol]!.epoch, from: context.id })),
            ],
            },
            // It holds no replica (its disk was lost or erased): say so, so the prober stops.
            { guard: 'probeUntilAnswered', actions: emit(({ context, event }) => send(event.from, { type: 'NOT_HELD', vol: event.vol, from: context.id })) },
          ],
          // The previous peer has no copy to rejoin with: stop probing it and wait for the control plane to offer space.
          // The fix also tells the control plane, asking again until answered: its peer's slot may be the only free one.
          NOT_HELD: {
            guard: 'backingOff',
            actions: assign({ replicas: ({ context, event }) => withReplica(context, event.vol, policy.askReplacedReplica && policy.backoffAsksUntilAnswered ? { peerGone: true, asks: true } : { peerGone: true }) }),
          },
          // The previous peer answered: ask to be paired again, and probe again later in case this request or its answer is lost;
          // the fix also asks the control plane again on its retry timer until answered (the peer may be gone by then).
          PONG: {
            guard: 'backingOff',
            actions: [
              assign({ replicas: ({ context, event }) => withReplica(context, event.vol, policy.backoffAsksUntilAnswered ? { probed: false, asks: true } : { probed: false }) }),
              emit(({ context, event }) => {
                const r = context.replicas[event.vol]!;
                return send(CONTROL_PLANE, { type: 'RECONNECT', vol: event.vol, peer: r.peer, epoch: r.epoch, from: context.id });
              }),
            ],
          },
          GRANT: [
            {
              guard: 'waitingForNode',
              actions: 'startCopying',
            },
            // The grant was resent: the copy or its confirmation may be lost, so send the copy again.
            {
              guard: 'copyingThisGrant',
              actions: [
                assign({ replicas: ({ context, event }) => withReplica(context, event.vol, { grant: event.epoch }) }),
                emit(({ context, event }) => send(event.target, { type: 'COPY', vol: event.vol, version: context.replicas[event.vol]!.version, epoch: event.epoch, from: context.id })),
              ],
            },
            // Serving in a pairing older than the grant: the grant was decided after it, and its lost replica told so: carry it out.
            {
              guard: 'servingOlderPairing',
              actions: 'startCopying',
            },
            // Put back together with its peer meanwhile, or its copy is gone (a disk lost): hand the reserved slot back.
            { guard: 'notWaiting', actions: emit(({ context, event }) => send(CONTROL_PLANE, { type: 'CANCEL', vol: event.vol, epoch: event.epoch, from: context.id })) },
          ],
          PAIRED: {
            guard: 'pairable',
            actions: assign({ replicas: ({ context, event }) => withReplica(context, event.vol, { status: 'serving', peer: event.peer, epoch: event.epoch, grant: undefined, probed: undefined, asks: undefined, peerGone: undefined }) }),
          },
          REPLACED: [
            // The flaw of `release-before-confirm`: free the copy on hearing of the replacement.
            { guard: and(['replacedNow', 'releasesEarly']), actions: assign({ replicas: ({ context, event }) => withoutReplica(context, event.vol) }) },
            // Keep the data until the control plane relays the new owner's confirmation.
            { guard: and(['holds', 'replacedNow']), actions: assign({ replicas: ({ context, event }) => withReplica(context, event.vol, { status: 'replaced' }) }) },
          ],
          RELEASE: { guard: 'releasable', actions: assign({ replicas: ({ context, event }) => withoutReplica(context, event.vol) }) },
          WIPE: [
            {
              guard: 'newReclaim',
              actions: [assign({ replicas: {}, wiped: ({ event }) => event.wipe }), emit(({ context, event }) => send(CONTROL_PLANE, { type: 'WIPED', wipe: event.wipe, from: context.id }))],
            },
            // Already erased for this reclaim: confirm again, erase nothing.
            { actions: emit(({ context, event }) => send(CONTROL_PLANE, { type: 'WIPED', wipe: event.wipe, from: context.id })) },
          ],
          // The control plane asks whether this node still holds a replica it lists: one whose disk was lost says it holds none.
          INVENTORY: {
            actions: emit(({ context, event }) => send(CONTROL_PLANE, { type: context.replicas[event.vol] ? 'HELD' : 'EMPTY', vol: event.vol, asked: event.asked, from: context.id })),
          },
          // ---- becoming the new replica ------------------------------------------
          COPY: {
            guard: 'freshCopy',
            actions: [
              assign({
                replicas: ({ context, event }) => ({
                  ...context.replicas,
                  // The 2011-style first fix let a new copy serve at once; the fix waits to be paired.
                  [event.vol]: { version: event.version, peer: event.from, epoch: event.epoch, status: policy.confirmByOwned ? ('copied' as const) : ('serving' as const) },
                }),
              }),
              emit(({ context, event }) => send(CONTROL_PLANE, { type: 'OWNED', vol: event.vol, epoch: event.epoch, from: context.id })),
            ],
          },
          // ---- I/O: only while serving, which is how re-mirroring blocks it -----
          WRITE: {
            guard: 'serving',
            actions: [
              assign({ replicas: ({ context, event }) => withReplica(context, event.vol, { version: 1 }) }),
              emit(({ context, event }) => send(context.replicas[event.vol]!.peer, { type: 'REPLICATE', vol: event.vol, version: 1, epoch: context.replicas[event.vol]!.epoch, from: context.id })),
            ],
          },
          // A read: only a serving replica takes it (one re-mirroring or replaced does not: I/O is blocked). The fix answers
          // through the pair, like a write: the peer answers only while it is still paired with this replica.
          READ: [
            {
              guard: and(['serving', 'readsConfirmedByPeer']),
              actions: emit(({ context, event }) => send(context.replicas[event.vol]!.peer, { type: 'READ_CHECK', vol: event.vol, client: event.from, from: context.id })),
            },
            { guard: 'serving', actions: emit(({ context, event }) => send(event.from, { type: 'READ_RESULT', vol: event.vol, version: context.replicas[event.vol]!.version, from: context.id })) },
          ],
          READ_CHECK: {
            guard: 'servingPeerOf',
            actions: emit(({ context, event }) => send(event.client, { type: 'READ_RESULT', vol: event.vol, version: context.replicas[event.vol]!.version, from: context.id })),
          },
          REPLICATE: {
            guard: 'servingPeerInEpoch',
            actions: [
              assign({ replicas: ({ context, event }) => withReplica(context, event.vol, { version: event.version }) }),
              // The last link of the chain: its acknowledgement means both copies hold the write.
              emit(({ context, event }) => send(clientOf(event.vol), { type: 'ACK', vol: event.vol, from: context.id })),
            ],
          },
        },
      },
    },
  });
}
