import type { WorldSpec } from '../../src/index.js';
import { createAuthorityMachine } from './authority.js';
import { designOf, type ElectionDesign } from './design.js';
import { createInstanceMachine } from './instance.js';
import { AUTHORITY, INSTANCE } from './names.js';
import { createReplicaMachine, durablePart } from './replica.js';

export interface ElectionConfig {
  /** Replicas of the volume; the first starts as primary. */
  replicas: number;
  /** Writes the instance makes. */
  writes: number;
  /**
   * Suspicions: how many times in a behaviour a replica's failure detector may
   * fire, at any moment, whether or not the peer is really gone. They are
   * environment inputs (requests), so a behaviour may also stop suspecting.
   */
  suspicions: number;
  /** Messages the network may lose. */
  drops: number;
  /** Replica crashes (each replica may restart after one). */
  crashes: number;
  /** Which replicas may crash: all, or only r1, the primary the volume starts with (a smaller search). */
  crashable?: 'all' | 'first';
  /** Partitions: a node cut off on both its networks, as at 12:47 AM, or (regional authority) the cluster cut off from the control plane, as at 8:20 AM. */
  partitions: number;
}

/** The partition that cut the degraded cluster off from the regional control plane (8:20 AM). */
export const CONTROL_PLANE_CUT = 'cluster cut off from the control plane';

export function buildElectionWorld(variant: ElectionDesign | string, config: ElectionConfig): WorldSpec {
  const design = designOf(variant);
  const replicas = Array.from({ length: config.replicas }, (_, i) => `r${i + 1}`);
  const replicaMachine = createReplicaMachine(design);
  const processes: WorldSpec['processes'] = {
    [INSTANCE]: { machine: createInstanceMachine(design), input: { replicas, writes: config.writes }, timeouts: [{ event: { type: 'WRITE' } }, { event: { type: 'RETRY' } }], role: 'client' },
    // The authority only answers: it has no timer (its replies are retried by the askers' RETRY).
    [AUTHORITY]: { machine: createAuthorityMachine(design), input: { replicas }, role: 'authority' },
  };
  for (const id of replicas) {
    processes[id] = {
      machine: replicaMachine,
      input: { id, replicas },
      role: 'server',
      // The failure detector may fire at any time, whether or not the peer is really gone (an imperfect detector).
      requests: [{ type: 'PEER_LOST' }],
      timeouts: [{ event: { type: 'RETRY' } }],
      crash: config.crashable === 'first' && id !== replicas[0] ? undefined : { durable: durablePart(design) },
    };
  }
  const partitions: NonNullable<WorldSpec['partitions']> = replicas.map((r) => ({ name: `${r} isolated`, group: [r], networks: ['primary', 'replication'] }));
  // A per-cluster authority runs in the cluster's own zone: the regional cut does not separate it from the replicas.
  if (design.authority === 'regional') partitions.push({ name: CONTROL_PLANE_CUT, group: [AUTHORITY] });
  return {
    processes,
    // Every message ever sent stays deliverable (late, repeated, reordered) until lost: the harshest network short of forging.
    network: 'persistent',
    // Every message stays and waits until a receiver can take it, as in the TLA+ message set.
    delivery: 'wait',
    // EBS nodes talk over a primary and a secondary (replication) network; the 2011 trigger cut both.
    networks: ['primary', 'replication'],
    partitions,
    budgets: { partition: config.partitions, drop: config.drops, crash: config.crashes, request: config.suspicions },
    // r1 starts as primary; the replicas that start as its secondaries are interchangeable.
    symmetry: [replicas.slice(1)],
    view: {
      'designated primary': (w) => `${w.process(AUTHORITY).context.primary} (epoch ${w.process(AUTHORITY).context.epoch}, replica set ${w.process(AUTHORITY).context.members.join(' ')})`,
      'instance writes to': (w) => `${w.process(INSTANCE).context.primary} (epoch ${w.process(INSTANCE).context.epoch})`,
      'acknowledged up to': (w) => w.process(INSTANCE).context.acked,
    },
  };
}
