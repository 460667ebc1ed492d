import { ManualTimers, seededRandom, VirtualClock, type Timers } from './clock.js';
import { AuthorityNode } from './authority.js';
import { InstanceNode } from './instance.js';
import { Network, type NetworkFaults } from './network.js';
import { AUTHORITY, INSTANCE, type ImplRecord, type PlantedBug } from './protocol.js';
import { ReplicaNode, type Disk, type Durable } from './replica.js';

export interface ClusterRun {
  seed: number;
  replicas?: number;
  writes: number;
  /** How long the run lasts, in virtual milliseconds. */
  duration?: number;
  network?: Partial<NetworkFaults>;
  /** How many times a replica is cut off from everyone (each for a while), and how many times one crashes and restarts. */
  isolations?: number;
  crashes?: number;
  /** A secondary suspects its primary after this many to five times this many milliseconds without word (default 150): lower, more elections. */
  silence?: number;
  bug?: PlantedBug;
}

export interface RunOutcome {
  records: ImplRecord[];
  /** The newest write the instance had acknowledged when the run ended. */
  acknowledged: number;
}

const initialDurable = (replicas: string[]): Durable => ({ epoch: 1, primary: replicas[0]!, members: [...replicas], block: 0, asked: 0, suspects: [] });

/**
 * A whole volume on a virtual clock: the instance, the authority and the
 * replicas, a lossy network that delays, reorders and duplicates, replicas cut
 * off and crashed at random moments. Same seed, same records.
 */
export async function runCluster(run: ClusterRun): Promise<RunOutcome> {
  const random = seededRandom(run.seed);
  const clock = new VirtualClock();
  const records: ImplRecord[] = [];
  let ticket = 0;
  const reserve = () => ticket++;
  const record = (r: ImplRecord) => records.push(r.order === undefined ? { ...r, order: reserve() } : r);
  const replicas = Array.from({ length: run.replicas ?? 3 }, (_, i) => `r${i + 1}`);
  const faults: NetworkFaults = { loss: 0.05, duplicate: 0.1, maxLatency: 8, ...run.network };
  const net = new Network({ kind: 'auto', clock, random, faults }, record);
  const instance = new InstanceNode(net, clock.timersFor(), record, { replicas, writes: run.writes, writeDelay: () => 5 + Math.floor(random() * 30), retryEvery: 40, bug: run.bug });
  const authority = new AuthorityNode(net, record, replicas);
  const nodes = replicas.map((name) => {
    let node: ReplicaNode;
    const disk = clockDisk(clock, initialDurable(replicas), () => node, random);
    node = new ReplicaNode(name, net, clock.timersFor(), disk, record, {
      replicas,
      retryEvery: 30,
      suspectAfter: 25,
      silenceLimit: () => (run.silence ?? 150) * (1 + Math.floor(random() * 4)),
      bug: run.bug,
      reserve,
    });
    return node;
  });
  for (const n of [instance, authority, ...nodes]) net.attach(n);
  const duration = run.duration ?? 2000;
  for (let k = 0; k < (run.isolations ?? 0); k++) {
    const victim = replicas[Math.floor(random() * replicas.length)]!;
    const at = Math.floor(random() * duration * 0.8);
    clock.schedule(at, () => net.isolate(victim));
    clock.schedule(at + 20 + Math.floor(random() * 100), () => net.reconnect(victim));
  }
  for (let k = 0; k < (run.crashes ?? 0); k++) {
    const victim = nodes[Math.floor(random() * nodes.length)]!;
    const at = Math.floor(random() * duration * 0.8);
    clock.schedule(at, () => victim.up && victim.crash());
    clock.schedule(at + 10 + Math.floor(random() * 100), () => !victim.up && victim.restart());
  }
  instance.start();
  for (const n of nodes) n.start();
  await clock.run(duration);
  // In the order things happened (a sort is stable: records with the same place keep theirs).
  records.sort((a, b) => a.order! - b.order!);
  return { records, acknowledged: instance.acknowledged };
}

/** A disk on the clock: a write takes 1–3 ms, and one under way when its node crashes never lands. */
function clockDisk(clock: VirtualClock, initial: Durable, node: () => ReplicaNode, random: () => number): Disk {
  let stored = initial;
  return {
    read: () => structuredClone(stored),
    async write(durable) {
      const { incarnation } = node();
      await clock.sleep(1 + Math.floor(random() * 3));
      if (node().up && node().incarnation === incarnation) stored = structuredClone(durable);
    },
  };
}

/**
 * The same nodes with nothing automatic: messages wait in the network's pool
 * and timers stay armed until the test says which happens next. The handle a
 * model-driven test's adapter drives.
 */
export class ManualCluster {
  readonly records: ImplRecord[] = [];
  readonly net: Network;
  readonly instance: InstanceNode;
  readonly authority: AuthorityNode;
  readonly replicas: Map<string, ReplicaNode>;
  private readonly timers = new Map<string, ManualTimers>();

  constructor(options: { replicas?: number; writes: number; bug?: PlantedBug }) {
    const names = Array.from({ length: options.replicas ?? 3 }, (_, i) => `r${i + 1}`);
    const record = (r: ImplRecord) => this.records.push(r);
    this.net = new Network({ kind: 'manual' }, record);
    const timersOf = (name: string): Timers => {
      const t = new ManualTimers();
      this.timers.set(name, t);
      return t;
    };
    this.instance = new InstanceNode(this.net, timersOf(INSTANCE), record, { replicas: names, writes: options.writes, writeDelay: () => 1, retryEvery: 1, bug: options.bug });
    this.authority = new AuthorityNode(this.net, record, names);
    this.replicas = new Map(
      names.map((name) => {
        let stored = initialDurable(names);
        let node: ReplicaNode;
        const disk: Disk = {
          read: () => structuredClone(stored),
          async write(durable) {
            const { incarnation } = node;
            await Promise.resolve();
            if (node.up && node.incarnation === incarnation) stored = structuredClone(durable);
          },
        };
        node = new ReplicaNode(name, this.net, timersOf(name), disk, record, { replicas: names, retryEvery: 1, suspectAfter: 1, silenceLimit: () => 1, bug: options.bug });
        return [name, node];
      }),
    );
    for (const n of [this.instance, this.authority, ...this.replicas.values()]) this.net.attach(n);
    this.instance.start();
    for (const n of this.replicas.values()) n.start();
  }

  timer(node: string): ManualTimers {
    return this.timers.get(node === AUTHORITY ? INSTANCE : node)!;
  }
}
