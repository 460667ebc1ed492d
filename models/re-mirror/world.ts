import type { ProcessSpec, WorldSpec, WorldView } from '../../src/index.js';
import { createClientMachine, type ClientContext } from './client.js';
import { describeVolumeOp } from './history.js';
import { usableFreeSlots, type ControlPlaneContext } from './control-plane-books.js';
import { createControlPlaneMachine } from './control-plane.js';
import { createFlakyDetectorMachine } from './flaky-detector.js';
import { CONTROL_PLANE, FLAKY_DETECTOR, clientOf } from './messages.js';
import { createNodeMachine, type NodeContext, type NodeDurable, type Replica } from './node.js';
import type { RemirrorPolicy } from './policy.js';

export interface RemirrorConfig {
  /** EBS nodes and their replica slots, in the order the search for space visits them. */
  capacity: Record<string, number>;
  /** Spare slots the capacity buffer provisions on top. */
  buffer: Record<string, number>;
  /** Each volume's two replicas at the start. */
  placement: Record<string, [string, string]>;
  /** Volumes whose instance makes one write. */
  writers: string[];
  /** Reads each writer makes once its write is acknowledged (default 1): what `linearizable` judges. */
  reads?: number;
  /** Groups of nodes the dual-network fault may cut off from everything else (one shape each). */
  isolatable: string[][];
  /** Nodes that may crash; their disk survives the crash. */
  crashable: string[];
  /** Nodes whose crash destroys their disk (a hardware failure): it restarts empty. */
  diskLost: string[];
  partitions: number;
  /** Node crashes from any cause. */
  crashes: number;
  /** Extra crashes of the replication-close race; they happen only without the race fix. */
  raceCrashes: number;
  drops: number;
  /** Times a serving replica may suspect a peer that is up and reachable. */
  falseSuspicions: number;
  /** The nodes whose failure detector may suspect a live peer (default: every node). */
  misled?: string[];
  /**
   * When timers (failure detection, retries, probes, the instance's write) may fire: `any-time`, also
   * with messages in flight (asynchronous); or `quiet-network`, only while nothing is in flight, the
   * assumption that messages take milliseconds and timers seconds (far fewer states).
   */
  timers: 'any-time' | 'quiet-network';
  /**
   * With `quiet-network` timers: the timers that may fire at any time all the same, also with messages in
   * flight, by event type (`RESEND`, `WRITE`, `READ`, `PEER_LOST`, `RETRY`, `PROBE`, `MISLEAD`), or by type
   * and the process whose timer it is (`RETRY@n1`). A configuration gives a counterexample exactly the
   * asynchrony it needs, and no more (each timer made asynchronous multiplies the states).
   */
  anyTime?: Array<TimerEvent | `${TimerEvent}@${string}`>;
}

/** The timer events of the re-mirror world, by type. */
export type TimerEvent = 'RESEND' | 'WRITE' | 'READ' | 'PEER_LOST' | 'RETRY' | 'PROBE' | 'MISLEAD';

/**
 * The load bound, from the configuration: while no slot is taken or freed, a
 * volume's two replicas have no reason to make the control plane search for
 * space more than once each, so a correct cluster makes at most
 * 2 × volumes futile searches in a row.
 */
export const negotiationLimit = (config: RemirrorConfig): number => 2 * Object.keys(config.placement).length;

/** A node's replica of a volume, whether the node runs or lies crashed with its disk. */
export function replicaOn(world: WorldView, node: string, vol: string): Replica | undefined {
  return (world.process(node).context as NodeContext | NodeDurable | null)?.replicas[vol];
}

/** The replica of `vol` on a running node, if it holds one. */
function liveReplica(world: WorldView, node: string, vol: string): Replica | undefined {
  return world.process(node).crashed ? undefined : replicaOn(world, node, vol);
}

/**
 * When the failure detector's timer may fire: the peer is down, cut off, or
 * holds no replica of the volume. It may fire at any
 * moment while that lasts, also with messages in flight; false suspicions come
 * from the flaky detector.
 */
function peerLost(world: WorldView, node: string, vol: string): boolean {
  const replica = liveReplica(world, node, vol);
  if (replica === undefined) return false;
  const peer = world.connected(node, replica.peer) ? liveReplica(world, replica.peer, vol) : undefined;
  return peer === undefined;
}

/** The replica serves and its peer is up and reachable: suspecting it would be a mistake. */
function peerFine(world: WorldView, node: string, vol: string): boolean {
  const replica = liveReplica(world, node, vol);
  return replica?.status === 'serving' && world.connected(node, replica.peer) && !world.process(replica.peer).crashed;
}

/** The view that shows a writer's operations in stories, instead of its ghost history. */
export const operationsView = (vol: string): string => `${clientOf(vol)}'s operations`;
const describeVolumeHistory = (history: ClientContext['history']): string => (history.length === 0 ? 'none' : history.map(describeVolumeOp).join('; '));

export function buildRemirrorWorld(policy: RemirrorPolicy, config: RemirrorConfig): WorldSpec {
  const nodes = Object.keys(config.capacity);
  const volumes = Object.keys(config.placement);
  const capacity = Object.fromEntries(nodes.map((n) => [n, config.capacity[n]! + (policy.capacityBuffer ? (config.buffer[n] ?? 0) : 0)]));
  const controlPlane = (w: WorldView) => w.process(CONTROL_PLANE).context as ControlPlaneContext;
  const nodeMachine = createNodeMachine(policy);
  const quietNetwork = (w: WorldView) => w.messages().length === 0;
  const always = () => true;
  const asynchronous = (timer: TimerEvent, owner: string) => config.timers === 'any-time' || config.anyTime?.includes(timer) === true || config.anyTime?.includes(`${timer}@${owner}`) === true;
  /** When `owner`'s timer of this type may fire: at any time, or only while nothing is in flight. */
  const whenFires = (timer: TimerEvent, owner: string) => (asynchronous(timer, owner) ? always : quietNetwork);
  const processes: Record<string, ProcessSpec> = {};
  const clientMachine = createClientMachine(nodes);

  for (const vol of config.writers) {
    processes[clientOf(vol)] = {
      machine: clientMachine,
      input: { id: clientOf(vol), vol, reads: config.reads ?? 1 },
      role: 'client',
      // The instance knows the replicas it was attached to.
      timeouts: [...[config.placement[vol]![1]].map((to) => ({ event: { type: 'WRITE', to }, when: whenFires('WRITE', clientOf(vol)) })), { event: { type: 'READ' }, when: whenFires('READ', clientOf(vol)) }],
    };
  }
  processes[CONTROL_PLANE] = {
    machine: createControlPlaneMachine(policy, { capacity, placement: config.placement, negotiationLimit: negotiationLimit(config) }),
    role: 'authority',
    timeouts: [{ event: { type: 'RESEND' }, when: whenFires('RESEND', CONTROL_PLANE) }],
  };
  for (const node of nodes) {
    const disk = config.diskLost.includes(node) ? (c: NodeContext): NodeDurable => ({ replicas: {}, wiped: c.wiped }) : (c: NodeContext): NodeDurable => ({ replicas: c.replicas, wiped: c.wiped });
    processes[node] = {
      machine: nodeMachine,
      input: { id: node, replicas: Object.fromEntries(volumes.filter((v) => config.placement[v]!.includes(node)).map((v) => [v, config.placement[v]!.find((n) => n !== node)!])) },
      role: 'server',
      timeouts: volumes.flatMap((vol) => [
        { event: { type: 'PEER_LOST', vol }, when: (w: WorldView) => whenFires('PEER_LOST', node)(w) && peerLost(w, node, vol) },
        { event: { type: 'RETRY', vol }, when: whenFires('RETRY', node) },
        { event: { type: 'PROBE', vol }, when: whenFires('PROBE', node) },
      ]),
      crash: config.crashable.includes(node) || config.diskLost.includes(node) ? { durable: disk } : undefined,
    };
  }
  if (config.falseSuspicions > 0) {
    processes[FLAKY_DETECTOR] = {
      machine: createFlakyDetectorMachine(),
      input: { suspicions: config.falseSuspicions },
      timeouts: (config.misled ?? nodes).flatMap((node) => volumes.map((vol) => ({ event: { type: 'MISLEAD', node, vol }, when: (w: WorldView) => whenFires('MISLEAD', FLAKY_DETECTOR)(w) && peerFine(w, node, vol) }))),
    };
  }

  return {
    processes,
    // Messages may be reordered; a message sent again while an equal one is in flight merges with it.
    network: 'set',
    // A node ignores a message that no longer applies to it (a stale RELEASE, a write to a copy it no longer holds).
    delivery: 'drop',
    // EBS nodes talk over a primary and a replication network; the 2011 trigger cut both for part of the cluster.
    networks: ['primary', 'replication'],
    partitions: config.isolatable.map((group) => ({ name: `${group.join('+')} isolated`, group, networks: ['primary', 'replication'] })),
    budgets: { partition: config.partitions, crash: config.crashes + (policy.raceFix ? 0 : config.raceCrashes), drop: config.drops },
    view: {
      replicas: (w) => Object.fromEntries(volumes.map((v) => [v, controlPlane(w).members[v]!.join('+')])),
      'free slots': (w) => usableFreeSlots(controlPlane(w)),
      'negotiations since capacity changed': (w) => controlPlane(w).negotiations,
      ...Object.fromEntries(config.writers.map((vol) => [operationsView(vol), (w: WorldView) => describeVolumeHistory((w.process(clientOf(vol)).context as ClientContext).history)])),
    },
  };
}
