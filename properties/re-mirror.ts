import { always, defineModel, eventually, sometimes, type WorldView } from '../src/index.js';
import type { ClientContext } from '../models/re-mirror/client.js';
import { usableFreeSlots, type ControlPlaneContext } from '../models/re-mirror/control-plane.js';
import { CONTROL_PLANE, clientOf } from '../models/re-mirror/messages.js';
import type { NodeContext, NodeDurable } from '../models/re-mirror/node.js';
import { variantSummaries, type RemirrorVariant } from '../models/re-mirror/policy.js';
import { buildRemirrorWorld, remirrorConfigs, type RemirrorConfig } from '../models/re-mirror/world.js';

const controlPlane = (w: WorldView) => w.process(CONTROL_PLANE).context as ControlPlaneContext;
const nodesOf = (w: WorldView) => Object.keys(controlPlane(w).capacity);
const volumesOf = (w: WorldView) => Object.keys(controlPlane(w).members);
/** 1 when the volume's write was acknowledged, else 0 (the data it held before). A model without writes has no clients. */
const acked = (w: WorldView, vol: string) => (w.processNames.includes(clientOf(vol)) && (w.process(clientOf(vol)).context as ClientContext).acked ? 1 : 0);

/** What `node` has of `vol`, in words, for a witness. */
function describeCopy(w: WorldView, node: string, vol: string, version: number): string {
  const view = w.process(node);
  const replica = (view.context as NodeContext | NodeDurable | null)?.replicas[vol];
  if (view.crashed) return replica && replica.version >= version ? `${node} is down (its disk still has it)` : `${node} is down`;
  if (!replica) return `${node} holds no copy`;
  return replica.version >= version ? `${node} holds it` : `${node} holds only an older copy`;
}

export const noDataLoss = always({
  name: 'no-data-loss',
  statement: 'Every acknowledged write of every volume, and the data it held before, is held by at least one replica on a running node.',
  guards: {
    section: 'Overview of EBS System',
    quote: 'all nodes that have copies of the data hold onto the data until they can confirm that another node has taken ownership of their portion',
  },
  check(w) {
    for (const vol of volumesOf(w)) {
      const version = acked(w, vol);
      const held = nodesOf(w).some((n) => {
        const view = w.process(n);
        return !view.crashed && ((view.context as NodeContext).replicas[vol]?.version ?? -1) >= version;
      });
      if (held) continue;
      const what = version > 0 ? `the acknowledged write to ${vol}` : `the data of ${vol}`;
      const involved = nodesOf(w).filter((n) => (w.process(n).context as NodeContext | NodeDurable | null)?.replicas[vol] !== undefined || controlPlane(w).members[vol]!.includes(n));
      return {
        message: `${what} is on no running node: ${nodesOf(w).map((n) => describeCopy(w, n, vol, version)).join(', ')}`,
        processes: w.processNames.includes(clientOf(vol)) ? [...involved, clientOf(vol)] : involved,
      };
    }
    return undefined;
  },
});

/** Both replicas the control plane lists are running, paired with each other and serving I/O, and nothing is being copied. */
function redundant(w: WorldView, vol: string): boolean {
  const cp = controlPlane(w);
  if (cp.remirrors[vol]) return false;
  const [a, b] = cp.members[vol]!;
  const pairedWith = (node: string, peer: string) => {
    const view = w.process(node);
    const replica = view.crashed ? undefined : (view.context as NodeContext).replicas[vol];
    return replica !== undefined && replica.status === 'serving' && replica.peer === peer;
  };
  return pairedWith(a!, b!) && pairedWith(b!, a!);
}

/**
 * The network has healed and cannot be cut again: no partition in force and
 * none left in the budget. Reading the budget needs \`WorldView.budgetLeft\`
 * (requested from the engine); without it this is just "no partition in force".
 */
function networkHealedForGood(w: WorldView): boolean {
  return w.partitions().length === 0 && w.budgetLeft('partition') === 0;
}

export const eventuallyRedundant = eventually({
  name: 'eventually-redundant',
  statement: 'Once the network has healed and no further fault strikes, every volume again has two paired replicas and serves I/O.',
  guards: {
    section: 'Preventing the Event',
    quote: 'our retry logic will back off more aggressively and focus on re-establishing connectivity with previous replicas rather than futilely searching for new nodes',
  },
  trigger: (w) => networkHealedForGood(w),
  goal: (w) => volumesOf(w).every((v) => redundant(w, v)),
});

export const negotiationLoad = always({
  name: 'negotiation-load',
  statement: 'The control plane never receives more re-mirror negotiations in one tick than the declared limit.',
  guards: {
    section: 'Primary Outage',
    quote: 'Because data was not being successfully re-mirrored, the number of these calls increased as the system retried',
  },
  check(w) {
    const cp = controlPlane(w);
    if (cp.negotiationsThisTick <= cp.negotiationLimit) return undefined;
    return { message: `the control plane received more than ${cp.negotiationLimit} re-mirror negotiations within one tick`, processes: [CONTROL_PLANE] };
  },
});

export const remirrorCompletes = sometimes({
  name: 'remirror-completes',
  statement: 'A node that lost its peer copies the volume to a node with a free slot, and that node confirms ownership.',
  guards: { section: 'Overview of EBS System', quote: 'the EBS node searches its EBS cluster for another node with enough available server space' },
  // Membership changes only when a new node's ownership is recorded.
  reached: (w) => {
    const cp = controlPlane(w);
    return Object.entries(cp.members).some(([v, nodes]) => nodes.some((n) => !cp.placement[v]!.includes(n)));
  },
});

export const reconnects = sometimes({
  name: 'reconnects-to-previous-replica',
  statement: 'A volume whose replicas lost each other is put back together with its previous replica instead of a new one.',
  guards: { section: 'Preventing the Event', quote: 're-establishing connectivity with previous replicas' },
  // The control plane sends REJOIN only to put a volume's previous replicas back together.
  reached: (w) => w.messages().some((m) => m.msg.type === 'REJOIN'),
});

export const capacityRunsOut = sometimes({
  name: 'capacity-runs-out',
  statement: 'Re-mirroring uses up every free slot the control plane could place a replica in.',
  guards: { section: 'Primary Outage', quote: 'the free capacity of the EBS cluster was quickly exhausted' },
  reached: (w) => usableFreeSlots(controlPlane(w)) === 0,
});

export const reMirror = defineModel<RemirrorConfig>({
  name: 're-mirror',
  summary:
    'EBS nodes holding replica pairs of several volumes re-mirror through the control plane when they lose their peer, under a dual-network partition, node crashes and message loss, with bounded free slots.',
  incident: '2011',
  configs: remirrorConfigs,
  variants: {
    'release-before-confirm': {
      kind: 'without-safeguard',
      passage: { section: 'Overview of EBS System', quote: 'all nodes that have copies of the data hold onto the data until they can confirm that another node has taken ownership of their portion' },
      summary: variantSummaries['release-before-confirm'],
      expect: {
        'no-data-loss': 'violated',
        'negotiation-load': 'holds',
        'remirror-completes': 'holds',
        'reconnects-to-previous-replica': 'holds',
        'capacity-runs-out': 'holds',
      },
    },
    'reuse-failed-nodes': {
      kind: 'without-safeguard',
      passage: { section: 'Recovering EBS in the Affected Availability Zone', quote: 'the EBS cluster does not reuse the failed node until every data replica is successfully re-mirrored' },
      summary: variantSummaries['reuse-failed-nodes'],
      expect: {
        'no-data-loss': 'violated',
        'negotiation-load': 'holds',
        'remirror-completes': 'holds',
        'reconnects-to-previous-replica': 'holds',
        'capacity-runs-out': 'holds',
      },
    },
    storm: {
      kind: 'as-it-happened',
      passage: { section: 'Primary Outage', quote: 'the free capacity of the EBS cluster was quickly exhausted, leaving many of the nodes "stuck" in a loop, continuously searching the cluster for free space' },
      summary: variantSummaries.storm,
      expect: {
        'no-data-loss': 'holds',
        'eventually-redundant': 'violated',
        'negotiation-load': 'violated',
        'remirror-completes': 'holds',
        'capacity-runs-out': 'holds',
      },
    },
    fixed: {
      kind: 'fixed',
      remedy: 'promised',
      passage: { section: 'Preventing the Event', quote: 'These changes provide us with three separate protections against having a repeat of this event.' },
      summary: variantSummaries.fixed,
      expect: {
        'no-data-loss': 'holds',
        'eventually-redundant': 'holds',
        'negotiation-load': 'holds',
        'remirror-completes': 'holds',
        'reconnects-to-previous-replica': 'holds',
        'capacity-runs-out': 'holds',
      },
    },
  },
  properties: [noDataLoss, eventuallyRedundant, negotiationLoad, remirrorCompletes, reconnects, capacityRunsOut],
  build: (variant, config) => buildRemirrorWorld(variant as RemirrorVariant, config),
});
