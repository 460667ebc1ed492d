import { always, defineModel, eventually, sometimes, type WorldView } from '../src/index.js';
import type { AuthorityContext } from '../models/replica-election/authority.js';
import type { InstanceContext } from '../models/replica-election/instance.js';
import { AUTHORITY, INSTANCE } from '../models/replica-election/names.js';
import { PASSAGES } from '../models/replica-election/passages.js';
import type { ReplicaContext } from '../models/replica-election/replica.js';

import { CHECKED_CONFIGS, electionConfigNotes, electionConfigs, electionVariants } from '../models/replica-election/variants.js';
import { buildElectionWorld, type ElectionConfig } from '../models/replica-election/world.js';

const replicasOf = (w: WorldView) => w.processNames.filter((n) => /^r\d+$/.test(n));
const authority = (w: WorldView) => w.process(AUTHORITY).context as AuthorityContext;
const instance = (w: WorldView) => w.process(INSTANCE).context as InstanceContext;
const replica = (w: WorldView, name: string) => w.process(name).context as ReplicaContext;

/**
 * A replica serves writes when a write reaching it now would be acknowledged:
 * it is primary, and each secondary of its epoch would take the copy.
 */
export function servesWrites(w: WorldView, name: string): boolean {
  const p = w.process(name);
  if (!p.is('primary')) return false;
  const self = p.context as ReplicaContext;
  return self.members.every((m) => m === name || w.process(m).can({ type: 'REPLICATE', id: self.block + 1, epoch: self.epoch, from: name }));
}

export const singlePrimary = always({
  name: 'single-primary',
  statement: 'At every moment at most one replica of the volume serves writes as primary.',
  guards: PASSAGES.authority,
  check(w) {
    const serving = replicasOf(w).filter((r) => servesWrites(w, r));
    if (serving.length < 2) return undefined;
    const parts = serving.map((r) => `${r} (epoch ${replica(w, r).epoch}, secondaries ${replica(w, r).members.filter((m) => m !== r).join(' ') || 'none'})`);
    return { message: `two primaries: ${parts.join(' and ')} both serve writes`, processes: serving };
  },
});

export const primaryGranted = always({
  name: 'primary-granted-by-authority',
  statement: "A replica serves writes only as the primary the authority designated in the authority's current epoch: the authority's epoch and the serving primary's agree.",
  guards: PASSAGES.negotiation,
  check(w) {
    const cp = authority(w);
    const rogue = replicasOf(w).find((r) => servesWrites(w, r) && !(cp.primary === r && replica(w, r).epoch === cp.epoch));
    if (!rogue) return undefined;
    return {
      message: `${rogue} serves writes as primary of epoch ${replica(w, rogue).epoch}, but the authority designated ${cp.primary} in epoch ${cp.epoch}`,
      processes: [rogue, AUTHORITY],
    };
  },
});

export const ackedWritesOnPrimary = always({
  name: 'acked-writes-on-primary',
  statement: "Every write acknowledged to the instance is held by the primary the authority designates and by every replica of the authority's current replica set (on disk, if the node is down).",
  guards: PASSAGES.holdData,
  check(w) {
    const cp = authority(w);
    const acked = instance(w).acked;
    const missing = cp.members.find((r) => replica(w, r).block < acked);
    if (!missing) return undefined;
    return {
      message: `write ${acked} was acknowledged to the instance, but ${missing}, ${missing === cp.primary ? 'the primary' : 'a replica'} the authority names in epoch ${cp.epoch}, holds only up to write ${replica(w, missing).block}`,
      processes: [missing, INSTANCE],
    };
  },
});

export const staleWriteRefused = sometimes({
  name: 'stale-write-refused',
  statement: 'A secondary can refuse a write from a primary of an older epoch, and tell it so.',
  guards: PASSAGES.consistency,
  reached: (w) => w.messages().some((m) => m.msg.type === 'FENCED'),
});

export const reelection = sometimes({
  name: 'reelection-happens',
  statement: 'After a replica suspects its peer, the authority can grant primacy in a new epoch to a primary that has secondaries and serves writes.',
  guards: PASSAGES.negotiation,
  reached(w) {
    const cp = authority(w);
    return cp.epoch >= 2 && cp.members.length >= 2 && servesWrites(w, cp.primary) && replica(w, cp.primary).epoch === cp.epoch;
  },
});

/**
 * Faults have stopped: no replica is down or cut off from the instance or from
 * another replica, and no further crash or partition can come. A cut between
 * the cluster and a regional control plane may still be in force.
 */
export function faultsOver(w: WorldView): boolean {
  if (w.budgetLeft('crash') !== 0 || w.budgetLeft('partition') !== 0) return false;
  const nodes = [INSTANCE, ...replicasOf(w)];
  return nodes.every((a) => !w.process(a).crashed && nodes.every((b) => a === b || w.connected(a, b)));
}

export const eventuallyWritable = eventually({
  name: 'eventually-writable',
  statement: 'Once faults stop and the replicas are connected again, a write the instance has in progress is eventually acknowledged: the volume does not stay stuck.',
  guards: PASSAGES.stuck,
  trigger: (w) => w.process(INSTANCE).is('writing') && faultsOver(w),
  goal: (w) => w.process(INSTANCE).is('idle'),
});

export const electionProperties = [singlePrimary, primaryGranted, ackedWritesOnPrimary, staleWriteRefused, reelection, eventuallyWritable];

export const replicaElection = defineModel<ElectionConfig>({
  name: 'replica-election',
  summary: 'An EC2 instance writing to an EBS volume of three replicas that elect a primary through an authority, under suspicion timers that fire at any time, message loss, crashes and partitions.',
  incident: '2011',
  configs: electionConfigs,
  checked: CHECKED_CONFIGS,
  configNotes: electionConfigNotes,
  variants: electionVariants,
  properties: electionProperties,
  build: (variant, config) => buildElectionWorld(variant, config),
});
