import { always, defineModel, eventually, sometimes, type Fact, type WorldView } from '../src/index.js';
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

/** "r2 serves writes as primary of epoch 2": dated by when it came to serve in that epoch. */
const serves = (r: string, epoch: number): Fact => ({
  says: `${r} serves writes as primary of epoch ${epoch}`,
  holds: (w) => servesWrites(w, r) && replica(w, r).epoch === epoch,
});

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
  explain(w) {
    const serving = replicasOf(w).filter((r) => servesWrites(w, r));
    if (serving.length < 2) return undefined;
    return {
      facts: serving.map((r) => ({ holds: (x: WorldView) => serves(r, replica(w, r).epoch).holds(x) && replica(x, r).members.join() === replica(w, r).members.join(), says: `${r} serves writes as primary of epoch ${replica(w, r).epoch} (secondaries ${replica(w, r).members.filter((m) => m !== r).join(' ') || 'none'})` })),
      so: `two replicas would acknowledge writes at once, and the volume's copies can diverge`,
    };
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
  explain(w) {
    const cp = authority(w);
    const rogue = replicasOf(w).find((r) => servesWrites(w, r) && !(cp.primary === r && replica(w, r).epoch === cp.epoch));
    if (!rogue) return undefined;
    return {
      facts: [
        { says: `the authority designates ${cp.primary} in epoch ${cp.epoch}`, holds: (x) => authority(x).primary === cp.primary && authority(x).epoch === cp.epoch },
        serves(rogue, replica(w, rogue).epoch),
      ],
      so: `${rogue} serves writes without the authority's current grant`,
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
  explain(w) {
    const cp = authority(w);
    const acked = instance(w).acked;
    const missing = cp.members.find((r) => replica(w, r).block < acked);
    if (!missing) return undefined;
    const block = replica(w, missing).block;
    return {
      facts: [
        { says: `the instance has write ${acked} acknowledged`, holds: (x) => instance(x).acked >= acked },
        { says: `${missing} holds only up to write ${block}`, holds: (x) => replica(x, missing).block === block },
      ],
      so: `write ${acked}, acknowledged, is missing from ${missing}, ${missing === cp.primary ? 'the primary' : 'a replica'} of the authority's replica set in epoch ${cp.epoch}`,
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
  explain(w) {
    const i = instance(w);
    const p = w.process(i.primary);
    const state = String(JSON.stringify(p.value));
    return {
      facts: [
        { says: 'no crash or partition is left to come, and every node is up and connected to the others (the control plane may stay cut off)', holds: faultsOver },
        { says: `the instance waits for write ${i.next} from ${i.primary} (epoch ${i.epoch})`, holds: (x) => x.process(INSTANCE).is('writing') && instance(x).next === i.next && instance(x).primary === i.primary },
        { says: `${i.primary} is ${p.crashed ? 'down' : `${typeof p.value === 'string' ? p.value : state}, epoch ${replica(w, i.primary).epoch}`}`, holds: (x) => JSON.stringify(x.process(i.primary).value) === state && x.process(i.primary).crashed === p.crashed },
      ],
      so: `no step the protocol still owes gets write ${i.next} acknowledged: the volume stays stuck`,
    };
  },
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
  story: {
    replaces: {
      'designated primary': ['authority.primary', 'authority.epoch', 'authority.members'],
      'instance writes to': ['instance.primary', 'instance.epoch'],
      'acknowledged up to': ['instance.acked'],
    },
  },
  properties: electionProperties,
  build: (variant, config) => buildElectionWorld(variant, config),
});
