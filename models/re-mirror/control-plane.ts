import { enqueueActions, setup } from 'xstate';
import { failed, findTarget, named, otherMember, replacedReplica, sortedPair, usableFreeSlots, without, type ControlPlaneContext } from './control-plane-books.js';
import { CONTROL_PLANE, send, type EmptyMsg, type Emitted, type HeldMsg, type ReconnectMsg, type RemirrorMsg, type ToControlPlane } from './messages.js';
import type { RemirrorPolicy } from './policy.js';

export type { ControlPlaneContext } from './control-plane-books.js';

export interface ControlPlaneSettings {
  /** Nodes in the order the search visits them, with their slots (the buffer included when provisioned). */
  capacity: Record<string, number>;
  /** Volume → its initial replicas. */
  placement: Record<string, string[]>;
  negotiationLimit: number;
}

/** The control plane's own timer: resend a grant or a WIPE not yet confirmed (it or its answer may be lost). */
type ControlPlaneEvent = ToControlPlane | { type: 'RESEND' };

/** One decision: the books afterwards and the messages sent. */
interface Step {
  context: ControlPlaneContext;
  sends: Emitted[];
}

const from = (to: string, msg: Omit<Emitted['msg'], 'from'>): Emitted => send(to, { ...msg, from: CONTROL_PLANE } as Emitted['msg']);

/**
 * The EBS control plane as authority for re-mirroring: it keeps the volumes'
 * membership and the cluster's free slots, answers each re-mirror negotiation
 * (folding in the node's search for space), and records a new owner only on
 * its explicit confirmation.
 */
export function createControlPlaneMachine(policy: RemirrorPolicy, settings: ControlPlaneSettings) {
  /** A search that found no space, counted until a slot is taken or freed. */
  const countFutile = (c: ControlPlaneContext): ControlPlaneContext => ({ ...c, negotiations: Math.min(c.negotiations + 1, c.negotiationLimit + 1) });
  /** A slot was taken or freed: the futile searches before no longer count. */
  const capacityChanged = (c: ControlPlaneContext): ControlPlaneContext => (c.negotiations === 0 ? c : { ...c, negotiations: 0 });

  /**
   * A node that is not the volume's member holds only a stale copy and may free it; if it is the pending
   * grant's target, only a copy older than that grant (the copy on its way is not to be touched).
   */
  function answerNonMember(c: ControlPlaneContext, vol: string, node: string): Step {
    const grant = c.grants[vol];
    const upTo = grant?.target === node ? grant.epoch - 1 : c.counter[vol]!;
    return { context: c, sends: [from(node, { type: 'RELEASE', vol, upTo })] };
  }

  /** Search for space for `vol`, replacing `lost`: grant a target, or answer "no space" and remember the volume. */
  function search(c: ControlPlaneContext, vol: string, source: string, lost: string): Step {
    const books = { ...c, suspected: c.suspected.includes(lost) ? c.suspected : [...c.suspected, lost].sort() };
    const target = findTarget(books, vol);
    if (target === undefined) {
      const askers = [...new Set([...(books.waiting[vol] ?? []), source])].sort();
      return { context: countFutile({ ...books, waiting: { ...books.waiting, [vol]: askers } }), sends: [from(source, { type: 'NO_SPACE', vol })] };
    }
    const epoch = books.counter[vol]! + 1;
    // Fixed: the other replicas that were told "no space" stay queued; if the source cancels, they are offered the space.
    const others = (books.waiting[vol] ?? []).filter((n) => n !== source);
    const waiting = policy.requeueOnCancel && others.length > 0 ? { ...books.waiting, [vol]: others } : without(books.waiting, vol);
    return {
      context: { ...capacityChanged(books), counter: { ...books.counter, [vol]: epoch }, grants: { ...books.grants, [vol]: { source, lost, target, epoch } }, waiting, emptied: without(books.emptied, vol), questions: without(books.questions, vol) },
      sends: [from(source, { type: 'GRANT', vol, target, epoch })],
    };
  }

  /**
   * Fixed: ask the replica a waiting volume is replacing whether it still holds its copy. A node that restarted
   * with its disk lost tells no one otherwise, and while the books list it its slot is never offered.
   */
  function askReplacedReplica(step: Step, vol: string): Step {
    const node = policy.askReplacedReplica && step.context.questions[vol] === undefined ? replacedReplica(step.context, vol) : undefined;
    if (node === undefined) return step;
    const c = step.context;
    return { context: { ...c, questions: { ...c.questions, [vol]: node } }, sends: [...step.sends, inventoryQuestion(c, vol, node)] };
  }

  /** The question, naming the volume's last change, so that an answer the volume has moved past is known stale. */
  const inventoryQuestion = (c: ControlPlaneContext, vol: string, node: string): Emitted => from(node, { type: 'INVENTORY', vol, asked: c.counter[vol]! });

  /** Whether an answer to INVENTORY answers the question still open (one asked before the volume's last change is stale). */
  const answersQuestion = (c: ControlPlaneContext, e: EmptyMsg | HeldMsg) => c.questions[e.vol] === e.from && c.counter[e.vol] === e.asked;

  /** Fixed: once space frees up, offer it to the volumes that were told there was none (they stopped searching). */
  function offerSpace(step: Step): Step {
    if (!policy.backoffReconnect) return step;
    let { context: c, sends } = step;
    for (const vol of Object.keys(c.waiting).sort()) {
      const source = c.waiting[vol]!.find((n) => c.members[vol]!.includes(n));
      if (c.grants[vol]) continue;
      if (source === undefined) {
        c = { ...c, waiting: without(c.waiting, vol) };
        continue;
      }
      if (findTarget(c, vol) === undefined) continue;
      const next = search(c, vol, source, otherMember(c, vol, source));
      c = next.context;
      sends = [...sends, ...next.sends];
    }
    return { context: c, sends };
  }

  /** The replaced node may be reclaimed (its disk erased, its slots reused) once nothing names it; `reuse-failed-nodes` does not wait. */
  function reclaim(step: Step, node: string): Step {
    const c = step.context;
    if (node in c.wiping) return step;
    if (policy.keepFailedNodes && named(c, node, { countGrants: policy.reclaimChecksGrants })) return step;
    const wipe = (c.reclaims[node] ?? 0) + 1;
    return {
      context: { ...c, reclaims: { ...c.reclaims, [node]: wipe }, wiping: { ...c.wiping, [node]: wipe } },
      sends: [...step.sends, from(node, { type: 'WIPE', wipe })],
    };
  }

  /** Fixed: every failed node that nothing names any more is reclaimed (a grant voided or completed may have been the last). */
  function reclaimIdle(step: Step): Step {
    if (!policy.keepFailedNodes) return step;
    return step.context.suspected.reduce((s, node) => (named(s.context, node, { countGrants: policy.reclaimChecksGrants }) ? s : reclaim(s, node)), step);
  }

  /** The new node confirmed the copy: it and the source are the volume's replicas, and the replaced copy may be freed. */
  function complete(c: ControlPlaneContext, vol: string): Step {
    const g = c.grants[vol]!;
    const books = { ...capacityChanged(c), members: { ...c.members, [vol]: sortedPair(g.source, g.target) }, epoch: { ...c.epoch, [vol]: g.epoch }, grants: without(c.grants, vol), waiting: without(c.waiting, vol) };
    const pairing = [from(g.source, { type: 'PAIRED', vol, peer: g.target, epoch: g.epoch }), from(g.target, { type: 'PAIRED', vol, peer: g.source, epoch: g.epoch })];
    // The new copy went to the replaced member itself (it had said it holds none): nothing to release or reclaim.
    if (g.lost === g.target) return offerSpace(reclaimIdle({ context: books, sends: pairing }));
    const sends = [...pairing, from(g.lost, { type: 'RELEASE', vol, upTo: g.epoch })];
    return offerSpace(reclaimIdle(reclaim({ context: books, sends }, g.lost)));
  }

  function onRemirror(c: ControlPlaneContext, e: RemirrorMsg): Step {
    const grant = c.grants[e.vol];
    if (!c.members[e.vol]!.includes(e.from)) {
      // The first fix took a request from the grant's target as proof that it holds the copy.
      if (!policy.confirmByOwned && grant?.target === e.from) {
        const done = complete(c, e.vol);
        const answer = onRemirror(done.context, e);
        return { context: answer.context, sends: [...done.sends, ...answer.sends] };
      }
      return answerNonMember(c, e.vol, e.from);
    }
    // The source asks again while its grant is pending: the grant may be lost, so send it again.
    if (grant?.source === e.from) return { context: c, sends: [from(e.from, { type: 'GRANT', vol: e.vol, target: grant.target, epoch: grant.epoch })] };
    if (grant?.lost === e.from) {
      // The replica being replaced has lost the source too: void the grant and re-mirror from this copy.
      if (e.replaced) {
        const voided = reclaimIdle({ context: { ...c, grants: without(c.grants, e.vol) }, sends: [] });
        const next = search(voided.context, e.vol, e.from, grant.source);
        return { context: next.context, sends: [...voided.sends, ...next.sends] };
      }
      // Its peer asked first and is copying to a new node: this replica is the one being replaced.
      return { context: c, sends: [from(e.from, { type: 'REPLACED', vol: e.vol, epoch: grant.epoch })] };
    }
    const other = otherMember(c, e.vol, e.from);
    // The asker missed a pairing (a rejoin or its re-mirror's completion): tell it the current one.
    if (other !== e.peer || e.epoch !== c.epoch[e.vol]) return { context: c, sends: [from(e.from, { type: 'PAIRED', vol: e.vol, peer: other, epoch: c.epoch[e.vol]! })] };
    // Fixed: a repeat of a request already told "no space" is answered from the books, without a search.
    const answer = policy.backoffReconnect && c.waiting[e.vol]?.includes(e.from) ? { context: c, sends: [from(e.from, { type: 'NO_SPACE', vol: e.vol })] } : search(c, e.vol, e.from, e.peer);
    // Fixed: the asker's peer said it holds nothing; ask it, unless the search granted space (a probe's answer may be stale, the peer's own answer is fenced).
    return e.peerEmpty ? askReplacedReplica(answer, e.vol) : answer;
  }

  function onReconnect(c: ControlPlaneContext, e: ReconnectMsg): Step {
    if (!c.members[e.vol]!.includes(e.from)) return answerNonMember(c, e.vol, e.from);
    const grant = c.grants[e.vol];
    if (grant?.lost === e.from) return { context: c, sends: [from(e.from, { type: 'REPLACED', vol: e.vol, epoch: grant.epoch })] };
    // Fixed: the peer was told it is being replaced, and may miss news of a rejoin; the grant stands, and is sent again.
    if (policy.grantOverRejoin && grant?.source === e.from) return { context: c, sends: [from(e.from, { type: 'GRANT', vol: e.vol, target: grant.target, epoch: grant.epoch })] };
    const other = otherMember(c, e.vol, e.from);
    if (other !== e.peer || e.epoch !== c.epoch[e.vol]) return { context: c, sends: [from(e.from, { type: 'PAIRED', vol: e.vol, peer: other, epoch: c.epoch[e.vol]! })] };
    // Both replicas are still the volume's members and reach each other: pair them again, voiding any grant.
    const epoch = c.counter[e.vol]! + 1;
    const books: ControlPlaneContext = {
      ...capacityChanged(c),
      counter: { ...c.counter, [e.vol]: epoch },
      epoch: { ...c.epoch, [e.vol]: epoch },
      grants: without(c.grants, e.vol),
      waiting: without(c.waiting, e.vol),
      emptied: without(c.emptied, e.vol),
      questions: without(c.questions, e.vol),
      suspected: c.suspected.filter((n) => n !== e.from && n !== e.peer),
    };
    return offerSpace(
      reclaimIdle({
        context: books,
        sends: [from(e.from, { type: 'PAIRED', vol: e.vol, peer: e.peer, epoch }), from(e.peer, { type: 'PAIRED', vol: e.vol, peer: e.from, epoch })],
      }),
    );
  }

  function decide(c: ControlPlaneContext, event: ControlPlaneEvent): Step {
    switch (event.type) {
      case 'REMIRROR':
        return onRemirror(c, event);
      case 'RECONNECT':
        return onReconnect(c, event);
      case 'OWNED': {
        const grant = c.grants[event.vol];
        if (grant?.target === event.from && grant.epoch === event.epoch) return complete(c, event.vol);
        if (c.members[event.vol]!.includes(event.from)) {
          // Its pairing was lost: send it again.
          return { context: c, sends: [from(event.from, { type: 'PAIRED', vol: event.vol, peer: otherMember(c, event.vol, event.from), epoch: c.epoch[event.vol]! })] };
        }
        return answerNonMember(c, event.vol, event.from);
      }
      case 'CANCEL': {
        const grant = c.grants[event.vol];
        if (grant?.source !== event.from || grant.epoch !== event.epoch) return { context: c, sends: [] };
        return offerSpace(reclaimIdle({ context: capacityChanged({ ...c, grants: without(c.grants, event.vol) }), sends: [] }));
      }
      case 'WIPED': {
        if (c.wiping[event.from] !== event.wipe) return { context: c, sends: [] };
        return offerSpace({ context: { ...capacityChanged(c), wiping: without(c.wiping, event.from), suspected: c.suspected.filter((n) => n !== event.from) }, sends: [] });
      }
      case 'EMPTY': {
        // The replaced replica holds nothing (its disk was lost): its slot is free for the volume's new copy.
        if (!answersQuestion(c, event)) return { context: c, sends: [] };
        return offerSpace({ context: { ...capacityChanged(c), emptied: { ...c.emptied, [event.vol]: event.from }, questions: without(c.questions, event.vol) }, sends: [] });
      }
      case 'HELD':
        return { context: answersQuestion(c, event) ? { ...c, questions: without(c.questions, event.vol) } : c, sends: [] };
      case 'RESEND': {
        // A grant offered to a node that stopped asking, a WIPE, or a question about a replaced replica may be lost: nobody else would ask again.
        const grants = Object.entries(c.grants).map(([vol, g]) => from(g.source, { type: 'GRANT', vol, target: g.target, epoch: g.epoch }));
        const wipes = Object.entries(c.wiping).map(([node, wipe]) => from(node, { type: 'WIPE', wipe }));
        const questions = Object.entries(c.questions).map(([vol, node]) => inventoryQuestion(c, vol, node));
        return { context: c, sends: [...grants, ...wipes, ...questions] };
      }
    }
  }

  const members = Object.fromEntries(Object.entries(settings.placement).map(([vol, nodes]) => [vol, [...nodes].sort()]));
  const zero = Object.fromEntries(Object.keys(settings.placement).map((vol) => [vol, 0]));
  const initial: ControlPlaneContext = {
    members,
    epoch: zero,
    counter: zero,
    grants: {},
    waiting: {},
    suspected: [],
    emptied: {},
    questions: {},
    wiping: {},
    reclaims: {},
    negotiations: 0,
    capacity: settings.capacity,
    placement: members,
    negotiationLimit: settings.negotiationLimit,
  };

  return setup({
    types: {} as { context: ControlPlaneContext; events: ControlPlaneEvent; emitted: Emitted },
    actions: {
      /** Every decision is a pure function of the books and the message: see `decide`. */
      apply: enqueueActions(({ context, event, enqueue }) => {
        const step = decide(context, event);
        if (step.context !== context) enqueue.assign(step.context);
        for (const m of step.sends) enqueue.emit(m);
      }),
    },
    guards: {
      somethingUnconfirmed: ({ context }) => Object.keys(context.grants).length > 0 || Object.keys(context.wiping).length > 0 || Object.keys(context.questions).length > 0,
    },
  }).createMachine({
    id: 'control-plane',
    context: initial,
    initial: 'serving',
    states: {
      serving: {
        on: {
          REMIRROR: { actions: 'apply' },
          RECONNECT: { actions: 'apply' },
          OWNED: { actions: 'apply' },
          CANCEL: { actions: 'apply' },
          WIPED: { actions: 'apply' },
          EMPTY: { actions: 'apply' },
          HELD: { actions: 'apply' },
          RESEND: { guard: 'somethingUnconfirmed', actions: 'apply' },
        },
      },
    },
  });
}

export { failed, usableFreeSlots };
