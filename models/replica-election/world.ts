import type { WorldSpec, WorldView } from '../../src/index.js';
import { createAuthorityMachine, createInstanceMachine, createReplicaMachine, type ElectionVariant, type ReplicaContext } from './machines.js';

export interface ElectionConfig {
  /** Replicas of the volume; the first starts as primary. */
  replicas: number;
  writes: number;
  timeouts: number;
  drops: number;
  crashes: number;
}

export const electionConfigs = {
  'two-replicas': { replicas: 2, writes: 2, timeouts: 3, drops: 1, crashes: 0 },
  'three-replicas': { replicas: 3, writes: 2, timeouts: 4, drops: 1, crashes: 0 },
  'two-replicas-crash': { replicas: 2, writes: 2, timeouts: 3, drops: 1, crashes: 1 },
} satisfies Record<string, ElectionConfig>;

export const electionVariants = {
  buggy: 'As in 2011: a replica that loses its peer assumes the peer failed and keeps serving writes without asking the control plane, and secondaries accept writes from any epoch.',
  fixed: 'Primacy only by grant of the control plane, in a new epoch each time; a replica that loses its peer blocks I/O until granted, and secondaries refuse writes from a stale epoch.',
} satisfies Record<ElectionVariant, string>;

/** Whether the replica's link to the replicas it depends on is gone: the only time its peer-loss timer fires. */
export function lostPeer(world: WorldView, replica: string): boolean {
  const self = world.process(replica).context as ReplicaContext;
  const peers = world.process(replica).is('primary') ? self.members : [self.primary];
  return peers.some((peer) => peer !== replica && (world.process(peer).crashed || !world.connected(replica, peer)));
}

export function buildElectionWorld(variant: ElectionVariant, config: ElectionConfig): WorldSpec {
  const replicas = Array.from({ length: config.replicas }, (_, i) => `r${i + 1}`);
  const replicaMachine = createReplicaMachine(variant);
  const processes: WorldSpec['processes'] = {
    instance: { machine: createInstanceMachine(), input: { replicas }, requests: [{ type: 'WRITE' }], role: 'client' },
    cp: { machine: createAuthorityMachine(), input: { replicas }, role: 'authority' },
  };
  for (const id of replicas) {
    processes[id] = {
      machine: replicaMachine,
      input: { id, replicas },
      role: 'server',
      timeouts: [{ event: { type: 'PEER_LOST' }, when: (w) => lostPeer(w, id) }, { event: { type: 'RETRY' } }],
      crash: { durable: (c: ReplicaContext) => ({ epoch: c.epoch, writes: c.writes }) },
    };
  }
  return {
    processes,
    network: 'bag',
    // EBS nodes talk over a primary and a secondary (replication) network; the 2011 trigger cut both.
    networks: ['primary', 'replication'],
    partitions: replicas.map((r) => ({ name: `${r} isolated`, group: [r], networks: ['primary', 'replication'] })),
    budgets: { partition: 1, drop: config.drops, crash: config.crashes, timeout: config.timeouts, request: config.writes },
    // r1 starts as primary; the replicas that start as its secondaries are interchangeable.
    symmetry: [replicas.slice(1)],
    view: {
      'designated primary': (w) => `${w.process('cp').context.primary} (epoch ${w.process('cp').context.epoch})`,
      'acknowledged writes': (w) => w.process('instance').context.acked,
    },
  };
}
