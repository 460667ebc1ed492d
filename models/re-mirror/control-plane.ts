import { assign, emit, enqueueActions, raise, setup } from 'xstate';
import { CONTROL_PLANE, type Emitted, type ToControlPlane } from './messages.js';
import type { RemirrorPolicy } from './policy.js';

/** A re-mirror the control plane has granted: `source` copies to `target`, which will take `lost`'s place. */
export interface RemirrorGrant {
  source: string;
  lost: string;
  target: string;
  /** The replica being replaced has been told so; if it asks again, it has lost the source too. */
  lostTold: boolean;
}

export interface ControlPlaneContext {
  /** Each volume's two replicas as the control plane knows them (the authority on membership). */
  members: Record<string, string[]>;
  remirrors: Record<string, RemirrorGrant>;
  /** Reclaimed nodes asked to erase their disk and not yet confirmed. */
  wiping: string[];
  /** Targets a copy to which failed; passed over until they are heard from again. */
  unreachable: string[];
  /** Re-mirror negotiations received since the last tick, saturating at limit + 1 (the bound only asks "more than the limit?"). */
  negotiationsThisTick: number;
  /** Constants kept here so properties can read them: slots per node (buffer included), the initial placement and the declared load limit. */
  capacity: Record<string, number>;
  placement: Record<string, string[]>;
  negotiationLimit: number;
}

export interface ControlPlaneSettings {
  /** Nodes in the order the search visits them, with their slots (the buffer included when provisioned). */
  capacity: Record<string, number>;
  /** Volume → its initial replicas (the one its instance writes to first). */
  placement: Record<string, string[]>;
  negotiationLimit: number;
}

type ControlPlaneEvent = ToControlPlane | { type: 'TICK' } | { type: 'RESEND_WIPE' };
type VolumeEvent = Extract<ToControlPlane, { vol: string }>;

/** Slots of `node` not taken by a replica the books list or by a re-mirror under way. */
export function freeSlots(context: ControlPlaneContext, node: string): number {
  let used = 0;
  for (const nodes of Object.values(context.members)) if (nodes.includes(node)) used++;
  for (const grant of Object.values(context.remirrors)) if (grant.target === node) used++;
  return context.capacity[node]! - used;
}

/**
 * A node the control plane will not place replicas on: one being replaced (a
 * peer reported it lost), one a copy to which failed, or one reclaimed that has
 * not yet erased its disk.
 */
export function failed(context: ControlPlaneContext, node: string): boolean {
  return context.wiping.includes(node) || context.unreachable.includes(node) || Object.values(context.remirrors).some((g) => g.lost === node);
}

/** Free slots on nodes the control plane would place a replica on. */
export function usableFreeSlots(context: ControlPlaneContext): number {
  return Object.keys(context.capacity)
    .filter((n) => !failed(context, n))
    .reduce((sum, n) => sum + Math.max(0, freeSlots(context, n)), 0);
}

/** The search for space: the first healthy node that does not hold the volume and has a free slot. */
function findTarget(context: ControlPlaneContext, vol: string): string | undefined {
  return Object.keys(context.capacity).find((n) => !context.members[vol]!.includes(n) && !failed(context, n) && freeSlots(context, n) > 0);
}

/** Whether a search for space for `vol` would find a node now. */
export const spaceFor = (context: ControlPlaneContext, vol: string): boolean => findTarget({ ...context, remirrors: without(context.remirrors, vol) }, vol) !== undefined;

const without = <T>(record: Record<string, T>, key: string): Record<string, T> => {
  const { [key]: _gone, ...rest } = record;
  return rest;
};

const send = (to: string | string[], msg: Emitted['msg']): Emitted => ({ type: 'send', to, msg });

/**
 * The EBS control plane as authority for re-mirroring: it keeps the volumes'
 * membership and the cluster's free slots, answers each re-mirror negotiation
 * (folding in the node's search for space), and records which node owns which
 * replica once the new node confirms.
 */
export function createControlPlaneMachine(policy: RemirrorPolicy, settings: ControlPlaneSettings) {
  const { capacity, negotiationLimit } = settings;
  const otherMember = (context: ControlPlaneContext, vol: string, node: string) => context.members[vol]!.find((n) => n !== node)!;
  /**
   * Whether the node a finished re-mirror replaced may be reclaimed. Fixed: only
   * once no volume lists it any more (every replica it held is re-mirrored).
   * `reuse-failed-nodes`: at once, whatever else it still holds.
   */
  const mayReclaim = (members: Record<string, string[]>, node: string) =>
    policy.reclaimEarly || Object.values(members).every((nodes) => !nodes.includes(node));

  /**
   * The new node confirmed ownership: it and the source are the volume's
   * replicas, the source serves again, and the replaced copy may be freed.
   */
  function completion(context: ControlPlaneContext, vol: string): { patch: Partial<ControlPlaneContext>; sends: Emitted[] } {
    const grant = context.remirrors[vol]!;
    const members = { ...context.members, [vol]: [grant.source, grant.target] };
    const reclaim = !context.wiping.includes(grant.lost) && mayReclaim(members, grant.lost);
    const sends = [send(grant.source, { type: 'DONE', vol, peer: grant.target, from: CONTROL_PLANE }), send(grant.lost, { type: 'RELEASE', vol, from: CONTROL_PLANE })];
    // Reclaiming erases the node's disk before new replicas go there.
    if (reclaim) sends.push(send(grant.lost, { type: 'WIPE', from: CONTROL_PLANE }));
    return { patch: { members, remirrors: without(context.remirrors, vol), wiping: reclaim ? [...context.wiping, grant.lost] : context.wiping }, sends };
  }

  return setup({
    types: {} as { context: ControlPlaneContext; events: ControlPlaneEvent; emitted: Emitted },
    guards: {
      notMember: ({ context, event }) => {
        const e = event as VolumeEvent;
        return !context.members[e.vol]!.includes(e.from);
      },
      peerAlreadyReplaced: ({ context, event }) => {
        const e = event as Extract<ToControlPlane, { peer: string }>;
        return !context.members[e.vol]!.includes(e.peer);
      },
      // The replaced replica asks again: it has lost the source as well, so the grant is void
      // (the source failed before its copy was confirmed) and the asker should re-mirror instead.
      sourceGone: ({ context, event }) => {
        const e = event as VolumeEvent;
        const grant = context.remirrors[e.vol];
        return grant !== undefined && grant.lost === e.from && grant.lostTold;
      },
      anotherSourceCopying: ({ context, event }) => {
        const e = event as VolumeEvent;
        const grant = context.remirrors[e.vol];
        return grant !== undefined && grant.source !== e.from;
      },
      spaceFound: ({ context, event }) => findTarget(context, (event as VolumeEvent).vol) !== undefined,
      confirmsGrant: ({ context, event }) => {
        const e = event as VolumeEvent;
        return context.remirrors[e.vol]?.target === e.from;
      },
      alreadyMember: ({ context, event }) => {
        const e = event as VolumeEvent;
        return context.members[e.vol]!.includes(e.from);
      },
      grantedTo: ({ context, event }) => {
        const e = event as VolumeEvent;
        return context.remirrors[e.vol]?.source === e.from;
      },
    },
    actions: {
      recordOwnership: enqueueActions(({ context, event, enqueue }) => {
        const { patch, sends } = completion(context, (event as VolumeEvent).vol);
        enqueue.assign(patch);
        for (const m of sends) enqueue.emit(m);
      }),
      markLostTold: assign({
        remirrors: ({ context, event }) => {
          const vol = (event as VolumeEvent).vol;
          const grant = context.remirrors[vol]!;
          return grant.lost === (event as VolumeEvent).from ? { ...context.remirrors, [vol]: { ...grant, lostTold: true } } : context.remirrors;
        },
      }),
      countNegotiation: assign({ negotiationsThisTick: ({ context }) => Math.min(context.negotiationsThisTick + 1, negotiationLimit + 1) }),
      /** A node that asks is alive: place replicas on it again. */
      heardFrom: assign({ unreachable: ({ context, event }) => context.unreachable.filter((n) => n !== (event as VolumeEvent).from) }),
    },
  }).createMachine({
    id: 'control-plane',
    context: {
      members: settings.placement,
      remirrors: {},
      wiping: [],
      unreachable: [],
      negotiationsThisTick: 0,
      capacity,
      placement: settings.placement,
      negotiationLimit,
    },
    initial: 'serving',
    states: {
      serving: {
        on: {
          TICK: { actions: assign({ negotiationsThisTick: 0 }) },
          // A reclaimed node has not confirmed its disk is erased (the order was lost): order it again.
          RESEND_WIPE: {
            actions: enqueueActions(({ context, enqueue }) => {
              for (const node of context.wiping) enqueue.emit(send(node, { type: 'WIPE', from: CONTROL_PLANE }));
            }),
          },
          REMIRROR: [
            // The new node asks before its confirmation arrived (its source failed meanwhile). It holds
            // the copy, as its request proves: record its ownership, then answer it as a member.
            { guard: 'confirmsGrant', actions: ['recordOwnership', raise(({ event }) => event)] },
            // The re-mirror finished without this replica: it may free its copy.
            { guard: 'notMember', actions: ['countNegotiation', 'heardFrom', emit(({ event }) => send(event.from, { type: 'RELEASE', vol: event.vol, from: CONTROL_PLANE }))] },
            // The asker's own re-mirror finished but it missed the news.
            {
              guard: 'peerAlreadyReplaced',
              actions: ['countNegotiation', 'heardFrom', emit(({ context, event }) => send(event.from, { type: 'DONE', vol: event.vol, peer: otherMember(context, event.vol, event.from), from: CONTROL_PLANE }))],
            },
            // The source asks again while its grant is pending, so its copy failed: give the reserved
            // slot back, pass over that target, and search again.
            {
              guard: 'grantedTo',
              actions: [
                assign(({ context, event }) => ({
                  unreachable: [...context.unreachable, context.remirrors[event.vol]!.target],
                  remirrors: without(context.remirrors, event.vol),
                })),
                raise(({ event }) => event),
              ],
            },
            { guard: 'sourceGone', actions: [assign({ remirrors: ({ context, event }) => without(context.remirrors, event.vol) }), raise(({ event }) => event)] },
            // Its peer asked first and is copying to a new node: this replica is the one being replaced.
            { guard: 'anotherSourceCopying', actions: ['countNegotiation', 'heardFrom', 'markLostTold', emit(({ event }) => send(event.from, { type: 'REPLACED', vol: event.vol, from: CONTROL_PLANE }))] },
            {
              guard: 'spaceFound',
              actions: [
                'countNegotiation',
                'heardFrom',
                assign({
                  remirrors: ({ context, event }) => ({ ...context.remirrors, [event.vol]: { source: event.from, lost: event.peer, target: findTarget(context, event.vol)!, lostTold: false } }),
                }),
                emit(({ context, event }) => send(event.from, { type: 'GRANT', vol: event.vol, target: context.remirrors[event.vol]!.target, from: CONTROL_PLANE })),
              ],
            },
            {
              actions: [
                'countNegotiation',
                'heardFrom',
                assign({ remirrors: ({ context, event }) => without(context.remirrors, event.vol) }),
                emit(({ event }) => send(event.from, { type: 'NO_SPACE', vol: event.vol, from: CONTROL_PLANE })),
              ],
            },
          ],
          RECONNECT: [
            // The new node asks before its confirmation arrived (its source failed meanwhile). It holds
            // the copy, as its request proves: record its ownership, then answer it as a member.
            { guard: 'confirmsGrant', actions: ['recordOwnership', raise(({ event }) => event)] },
            { guard: 'notMember', actions: ['heardFrom', emit(({ event }) => send(event.from, { type: 'RELEASE', vol: event.vol, from: CONTROL_PLANE }))] },
            {
              guard: 'peerAlreadyReplaced',
              actions: ['heardFrom', emit(({ context, event }) => send(event.from, { type: 'DONE', vol: event.vol, peer: otherMember(context, event.vol, event.from), from: CONTROL_PLANE }))],
            },
            { guard: 'sourceGone', actions: [assign({ remirrors: ({ context, event }) => without(context.remirrors, event.vol) }), raise(({ event }) => event)] },
            { guard: 'anotherSourceCopying', actions: ['heardFrom', 'markLostTold', emit(({ event }) => send(event.from, { type: 'REPLACED', vol: event.vol, from: CONTROL_PLANE }))] },
            // Both replicas are still the volume's members and nobody is copying: pair them again.
            {
              actions: [
                'heardFrom',
                assign({ remirrors: ({ context, event }) => without(context.remirrors, event.vol) }),
                emit(({ event }) => send(event.from, { type: 'REJOIN', vol: event.vol, peer: event.peer, from: CONTROL_PLANE })),
                emit(({ event }) => send(event.peer, { type: 'REJOIN', vol: event.vol, peer: event.from, from: CONTROL_PLANE })),
              ],
            },
          ],
          OWNED: [
            { guard: 'confirmsGrant', actions: 'recordOwnership' },
            { guard: 'alreadyMember' },
            // A copy from a grant that was withdrawn: the node holds an orphan and may free it.
            { actions: emit(({ event }) => send(event.from, { type: 'RELEASE', vol: event.vol, from: CONTROL_PLANE })) },
          ],
          CANCEL: { guard: 'grantedTo', actions: assign({ remirrors: ({ context, event }) => without(context.remirrors, event.vol) }) },
          WIPED: {
            actions: assign({ wiping: ({ context, event }) => context.wiping.filter((n) => n !== event.from) }),
          },
        },
      },
    },
  });
}
