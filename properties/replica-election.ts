import { always, defineModel, sometimes, type WorldView } from '../src/index.js';
import type { AuthorityContext, InstanceContext, ReplicaContext } from '../models/replica-election/machines.js';
import { buildElectionWorld, electionConfigs, electionVariants, type ElectionConfig } from '../models/replica-election/world.js';

const replicasOf = (w: WorldView) => w.processNames.filter((n) => /^r\d+$/.test(n));
const authority = (w: WorldView) => w.process('cp').context as AuthorityContext;

/**
 * A replica serves writes when a write reaching it now would be acknowledged:
 * it is primary, and each replica it must copy the write to would accept it.
 */
function servesWrites(w: WorldView, name: string): boolean {
  const replica = w.process(name);
  if (!replica.is('primary')) return false;
  const self = replica.context as ReplicaContext;
  return self.members.every((m) => w.process(m).can({ type: 'REPLICATE', id: 0, epoch: self.epoch, from: name }));
}

export const singlePrimary = always({
  name: 'single-primary',
  statement: 'At every moment at most one replica of the volume serves writes as primary.',
  guards: {
    section: 'Overview of EBS System',
    quote: 'the control plane is the authority when replicas elect a primary, and a volume must have a single primary replica at any time',
  },
  check(w) {
    const serving = replicasOf(w).filter((r) => servesWrites(w, r));
    if (serving.length < 2) return undefined;
    const cp = authority(w);
    const parts = serving.map((r) => {
      const epoch = (w.process(r).context as ReplicaContext).epoch;
      const members = (w.process(r).context as ReplicaContext).members;
      const how = cp.primary === r && cp.epoch === epoch ? 'as the control plane designated' : members.length === 0 ? 'alone, without the control plane designating it' : 'without the control plane designating it';
      return `${r} as primary of epoch ${epoch} (${how})`;
    });
    return { message: `two primaries: ${parts.join(' and ')} both serve writes`, processes: serving };
  },
});

export const ackedWritesOnPrimary = always({
  name: 'acked-writes-on-primary',
  statement: 'Every write acknowledged to the instance is held by the replica the control plane designates as primary.',
  guards: {
    section: 'Overview of EBS System',
    quote: 'negotiation makes one copy the primary that the EC2 instance sends all its accesses to, which gives volumes strong consistency',
  },
  check(w) {
    const cp = authority(w);
    const held = (w.process(cp.primary).context as ReplicaContext | null)?.writes ?? [];
    const acked = (w.process('instance').context as InstanceContext).acked;
    const missing = acked.filter((id) => !held.includes(id));
    if (missing.length === 0) return undefined;
    return {
      message: `write ${missing[0]} was acknowledged to the instance, but ${cp.primary}, the primary the control plane designated in epoch ${cp.epoch}, does not hold it`,
      processes: [cp.primary, 'instance'],
    };
  },
});

export const reelection = sometimes({
  name: 'reelection-happens',
  statement: 'After a replica loses its peer, the control plane can grant primacy in a new epoch and the new primary takes it up.',
  guards: { section: 'Primary Outage', quote: 'each re-mirror needs a negotiation with the control plane over which copy is primary' },
  reached(w) {
    const cp = authority(w);
    const primary = w.process(cp.primary);
    return cp.epoch >= 2 && primary.is('primary') && (primary.context as ReplicaContext).epoch === cp.epoch;
  },
});

export const replicaElection = defineModel<ElectionConfig>({
  name: 'replica-election',
  summary: 'An EC2 instance writing to an EBS volume whose replicas elect a primary through the control plane, under a partition that cuts both networks of a node.',
  incident: '2011',
  configs: electionConfigs,
  variants: {
    buggy: { kind: 'without-safeguard', passage: { section: 'Overview of EBS System', quote: 'These control plane services also act as the authority to the EBS clusters when they elect primary replicas for each volume in the cluster' }, summary: electionVariants.buggy, expect: { 'single-primary': 'violated', 'acked-writes-on-primary': 'violated', 'reelection-happens': 'holds' } },
    fixed: { kind: 'fixed', remedy: 'own', passage: { section: 'Overview of EBS System', quote: 'These control plane services also act as the authority to the EBS clusters when they elect primary replicas for each volume in the cluster' }, summary: electionVariants.fixed, expect: { 'single-primary': 'holds', 'acked-writes-on-primary': 'holds', 'reelection-happens': 'holds' } },
  },
  properties: [singlePrimary, ackedWritesOnPrimary, reelection],
  build: (variant, config) => buildElectionWorld(variant as 'buggy' | 'fixed', config),
});
