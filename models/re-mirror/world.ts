import type { ProcessSpec, WorldSpec, WorldView } from '../../src/index.js';
import { createClientMachine } from './client.js';
import { createControlPlaneMachine, spaceFor, usableFreeSlots, type ControlPlaneContext } from './control-plane.js';
import { CONTROL_PLANE, REMIRROR_TRAFFIC, clientOf } from './messages.js';
import { createNodeMachine, type NodeContext, type NodeDurable, type Replica } from './node.js';
import { policies, type RemirrorVariant } from './policy.js';

export interface RemirrorConfig {
  /** EBS nodes and their replica slots, in the order the search for space visits them. */
  capacity: Record<string, number>;
  /** Spare slots the fixed variant provisions on top (the capacity buffer). */
  buffer: Record<string, number>;
  /** Each volume's two replicas at the start, the one the instance writes to first. */
  placement: Record<string, [string, string]>;
  /** Volumes whose instance makes one write; the others have no client, which keeps the state space small. */
  writers: string[];
  /** Groups of nodes the dual-network fault may cut off from everything else (one shape each). */
  isolatable: string[][];
  /** Nodes that may crash (all when absent). */
  crashable?: string[];
  /** Re-mirror negotiations the control plane may receive per tick. */
  negotiationLimit: number;
  /**
   * When timers (failure detection, retries, reconnection, the instance's write) may fire:
   * `quiet-network` only while no message is in flight, since in a cluster messages take
   * milliseconds and these timers seconds; `any-time` drops that assumption (far more states).
   */
  timers: 'quiet-network' | 'any-time';
  partitions: number;
  /** Node crashes from any cause. */
  crashes: number;
  /** Extra crashes labelled as the replication-close race (issue 5); added to the crash budget. */
  raceCrashes: number;
  drops: number;
  /** Ticks of the clock: the control plane's negotiation count resets at each (0: one tick spans the whole behaviour). */
  ticks: number;
}

const small: RemirrorConfig = {
  // n1 holds a replica of both volumes, as a node in the isolated part of the 2011 cluster did.
  // One free slot (on n2): enough for one of the two re-mirrors that losing n1 calls for.
  capacity: { n1: 2, n2: 2, n3: 1 },
  buffer: { n3: 1 },
  placement: { v1: ['n1', 'n2'], v2: ['n1', 'n3'] },
  writers: [],
  isolatable: [['n1']],
  negotiationLimit: 12,
  timers: 'quiet-network',
  partitions: 1,
  crashes: 1,
  raceCrashes: 0,
  drops: 0,
  ticks: 0,
};

export const remirrorConfigs = {
  small,
  /** As small, with v1's instance writing once. */
  writes: { ...small, writers: ['v1'] },
  /** As small, but the fixed variant gets no spare slots: reconnection alone must bring volumes back. */
  'no-buffer': { ...small, buffer: {} },
  /** For benchmarks: v1's instance writes and the clock ticks once, splitting the negotiation count in two windows. */
  large: { ...small, writers: ['v1'], ticks: 1 },
  /** Beyond exhaustive reach on this machine (more than 1.5 million states): both instances write and a message may be lost. For random exploration. */
  huge: { ...small, writers: ['v1', 'v2'], drops: 1, ticks: 1 },
} satisfies Record<string, RemirrorConfig>;

/** A node's replica of a volume, whether the node runs or lies crashed with its disk. */
export function replicaOn(world: WorldView, node: string, vol: string): Replica | undefined {
  return (world.process(node).context as NodeContext | NodeDurable | null)?.replicas[vol];
}

/** The replica of `vol` on a running node, if it holds one. */
function liveReplica(world: WorldView, node: string, vol: string): Replica | undefined {
  return world.process(node).crashed ? undefined : replicaOn(world, node, vol);
}

/** Nothing about this replica's re-mirror is in flight: its retry timer may fire. */
function settled(world: WorldView, node: string, vol: string): boolean {
  return !world.messages().some((m) => REMIRROR_TRAFFIC.has(m.msg.type) && m.msg.vol === vol && (m.from === node || m.to === node || m.msg.type === 'OWNED' || m.msg.type === 'COPY'));
}

/**
 * The replica's peer crashed, is cut off, no longer holds the volume, or is
 * paired with another node (unless it is copying, when its pairing is changing).
 */
function peerLost(world: WorldView, node: string, vol: string): boolean {
  const replica = liveReplica(world, node, vol);
  if (replica === undefined) return false;
  const peer = world.connected(node, replica.peer) ? liveReplica(world, replica.peer, vol) : undefined;
  return peer === undefined || (peer.peer !== node && peer.status !== 'copying');
}

/** The replica serves, and its peer is reachable and serves paired with it: a write would be acknowledged. */
function paired(world: WorldView, node: string, vol: string): boolean {
  const replica = liveReplica(world, node, vol);
  if (replica?.status !== 'serving' || !world.connected(node, replica.peer)) return false;
  const peer = liveReplica(world, replica.peer, vol);
  return peer?.status === 'serving' && peer.peer === node;
}

/** The previous peer runs, is reachable and still holds the volume, and nothing is pending. */
function peerBack(world: WorldView, node: string, vol: string): boolean {
  const replica = liveReplica(world, node, vol);
  return replica !== undefined && world.connected(node, replica.peer) && liveReplica(world, replica.peer, vol) !== undefined && settled(world, node, vol);
}

/**
 * A backing-off replica's wait is over when a search would now find space. The
 * node would learn this from the cluster (gossip, a longer timer); modelling
 * the wait as a condition keeps a fixed node from asking again while nothing
 * has changed, which is what bounds its load.
 */
function backOffOver(world: WorldView, node: string, vol: string): boolean {
  return liveReplica(world, node, vol)?.status !== 'backoff' || spaceFor(world.process(CONTROL_PLANE).context as ControlPlaneContext, vol);
}

export function buildRemirrorWorld(variant: RemirrorVariant, config: RemirrorConfig): WorldSpec {
  const policy = policies[variant];
  const nodes = Object.keys(config.capacity);
  const volumes = Object.keys(config.placement);
  const capacity = Object.fromEntries(nodes.map((n) => [n, config.capacity[n]! + (policy.capacityBuffer ? (config.buffer[n] ?? 0) : 0)]));
  const quiet = (w: WorldView) => config.timers === 'any-time' || w.messages().length === 0;
  const controlPlane = (w: WorldView) => w.process(CONTROL_PLANE).context as ControlPlaneContext;
  const nodeMachine = createNodeMachine(policy);
  const processes: Record<string, ProcessSpec> = {};

  for (const vol of config.writers) {
    processes[clientOf(vol)] = {
      machine: createClientMachine(),
      input: { id: clientOf(vol), vol },
      role: 'client',
      // The instance writes to the replica the control plane lists first. It sends again after a
      // blocked write only once the volume serves again (both replicas paired), so a stuck volume does not make it spin.
      timeouts: nodes.map((to) => ({
        event: { type: 'WRITE', to },
        when: (w: WorldView) =>
          quiet(w) &&
          controlPlane(w).members[vol]![0] === to &&
          (w.process(clientOf(vol)).is('idle') || paired(w, to, vol)),
      })),
    };
  }
  processes[CONTROL_PLANE] = {
    machine: createControlPlaneMachine(policy, { capacity, placement: config.placement, negotiationLimit: config.negotiationLimit }),
    role: 'authority',
    timeouts: [
      {
        event: { type: 'RESEND_WIPE' },
        when: (w: WorldView) => quiet(w) && controlPlane(w).wiping.some((n) => !w.process(n).crashed && w.connected(CONTROL_PLANE, n)),
      },
    ],
  };
  for (const node of nodes) {
    processes[node] = {
      machine: nodeMachine,
      input: { id: node, replicas: Object.fromEntries(volumes.filter((v) => config.placement[v]!.includes(node)).map((v) => [v, config.placement[v]!.find((n) => n !== node)!])) },
      role: 'server',
      timeouts: volumes.flatMap((vol) => [
        { event: { type: 'PEER_LOST', vol }, when: (w: WorldView) => quiet(w) && peerLost(w, node, vol) },
        // Fixed: a replica whose previous peer is back reconnects rather than asking for a new node,
        // and one backing off asks again only once the cluster has space for the volume.
        { event: { type: 'RETRY', vol }, when: (w: WorldView) => quiet(w) && settled(w, node, vol) && !(policy.reconnectFirst && peerBack(w, node, vol)) && backOffOver(w, node, vol) },
        { event: { type: 'PEER_BACK', vol }, when: (w: WorldView) => quiet(w) && peerBack(w, node, vol) },
      ]),
      crash: (config.crashable ?? nodes).includes(node) ? { durable: (c: NodeContext): NodeDurable => ({ replicas: c.replicas }) } : undefined,
    };
  }

  return {
    processes,
    // Links between processes keep their order (TCP); across links anything goes.
    network: 'fifo',
    // EBS nodes talk over a primary and a replication network; the 2011 trigger cut both for part of the cluster.
    networks: ['primary', 'replication'],
    partitions: config.isolatable.map((group) => ({ name: `${group.join('+')} isolated`, group, networks: ['primary', 'replication'] })),
    budgets: { partition: config.partitions, crash: config.crashes + config.raceCrashes, drop: config.drops, tick: config.ticks },
    view: {
      replicas: (w) => Object.fromEntries(volumes.map((v) => [v, controlPlane(w).members[v]!.join('+')])),
      'free slots': (w) => usableFreeSlots(controlPlane(w)),
      'negotiations this tick': (w) => controlPlane(w).negotiationsThisTick,
    },
  };
}
