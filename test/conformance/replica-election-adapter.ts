/**
 * The adapter between the replica-election implementation
 * (implementations/replica-election) and its model: the implementation's
 * records as a conformance log, and its state as the model's processes see it.
 * The implementation knows nothing of the model; this file knows both.
 */
import { match } from 'ts-pattern';
import type { LogEntry, ReportedState } from '../../src/conformance/log.js';
import type { ImplementationAdapter } from '../../src/conformance/paths.js';
import { settled } from '../../implementations/replica-election/clock.js';
import { ManualCluster } from '../../implementations/replica-election/cluster.js';
import type { ImplRecord, Message, NodeState, PlantedBug } from '../../implementations/replica-election/protocol.js';

/** A node's reported state in the model's terms: its machine state and the context fields both have. */
export function reportedState(node: string, state: NodeState): ReportedState {
  const { role, ...fields } = state;
  if (node === 'cp') return { value: 'serving', context: fields };
  return { value: role, context: fields };
}

/** A log entry before it is numbered (Omit over each member of the union). */
type Unsequenced = LogEntry extends infer E ? (E extends LogEntry ? Omit<E, 'seq'> : never) : never;

export interface AdaptedLog {
  entries: LogEntry[];
  /** The log lines (1-based) of the steps in which a planted bug took its wrong path. */
  bugLines: number[];
}

/** The implementation's records as log entries, one a line, in order. */
export function logOfRecords(records: readonly ImplRecord[]): AdaptedLog {
  const entries: LogEntry[] = [];
  const bugLines: number[] = [];
  /** Each node's last step so far, by its log line: a bug record names the step it happened in. */
  const lastStep = new Map<string, number>();
  const push = (entry: Unsequenced) => {
    entries.push({ ...entry, seq: entries.length + 1 } as LogEntry);
    return entries.length;
  };
  for (const r of records) {
    switch (r.kind) {
      case 'recv':
        lastStep.set(r.node, push({ kind: 'receive', process: r.node, from: r.from, msg: r.msg, state: reportedState(r.node, r.state) }));
        break;
      case 'send':
        push({ kind: 'send', process: r.node, to: r.to, msg: r.msg });
        break;
      case 'timer':
        lastStep.set(r.node, push({ kind: 'timeout', process: r.node, event: { type: r.timer === 'write' ? 'WRITE' : 'RETRY' }, state: reportedState(r.node, r.state) }));
        break;
      case 'suspect':
        lastStep.set(r.node, push({ kind: 'request', process: r.node, event: { type: 'PEER_LOST' }, state: reportedState(r.node, r.state) }));
        break;
      case 'crash':
        push({ kind: 'crash', process: r.node });
        break;
      case 'restart':
        lastStep.set(r.node, push({ kind: 'restart', process: r.node, state: reportedState(r.node, r.state) }));
        break;
      case 'isolate':
        push({ kind: 'partition', partition: `${r.node} isolated` });
        break;
      case 'reconnect':
        push({ kind: 'heal', partition: `${r.node} isolated` });
        break;
      case 'bug':
        bugLines.push(lastStep.get(r.node)!);
        break;
    }
  }
  return { entries, bugLines };
}

/** The model's configuration for validating a run: the run's size, with budgets no run here exhausts. */
export const validationConfig = (writes: number) => ({ replicas: 3, writes, suspicions: 60_000, drops: 0, crashes: 1000, partitions: 1000 });

/**
 * The adapter a model-driven test runs paths through: each model action made
 * to happen in a fresh `ManualCluster` (a message delivered from its network,
 * a timer fired, a node crashed or cut off), each node's state read back.
 */
export function implementationAdapter(options: { writes: number; bug?: PlantedBug }): ImplementationAdapter {
  let cluster = new ManualCluster(options);
  const replica = (name: string) => cluster.replicas.get(name);
  const fire = (process: string, event: string): string | undefined => {
    if (process === 'instance') {
      const timer = event === 'WRITE' ? 'write' : 'retry';
      if (!cluster.instance.wants(timer)) return `the instance has no ${timer} timer armed`;
      cluster.instance.fire(timer);
      return undefined;
    }
    const node = replica(process);
    const timer = event === 'RETRY' ? 'retry' : 'detector';
    if (!node || !node.wants(timer)) return `${process} has no ${timer} timer armed`;
    node.fire(timer);
    return undefined;
  };
  return {
    reset() {
      cluster = new ManualCluster(options);
    },
    async apply(step) {
      const refused = match(step)
        .with({ kind: 'deliver' }, (d) => (cluster.net.deliver(d.from, d.to, d.msg as Message) ? undefined : `no ${d.msg.type} from ${d.from} to ${d.to} in its network`))
        .with({ kind: 'timeout' }, { kind: 'request' }, (d) => fire(d.process, d.event.type))
        .with({ kind: 'crash' }, (d) => (replica(d.process)?.up ? void replica(d.process)!.crash() : `${d.process} is not a running replica`))
        .with({ kind: 'restart' }, (d) => (replica(d.process) && !replica(d.process)!.up ? void replica(d.process)!.restart() : `${d.process} is not a crashed replica`))
        .with({ kind: 'partition' }, (d) => void cluster.net.isolate(d.partition.replace(/ isolated$/, '')))
        .with({ kind: 'heal' }, (d) => void cluster.net.reconnect(d.partition.replace(/ isolated$/, '')))
        .with({ kind: 'internal' }, { kind: 'drop' }, { kind: 'tick' }, { kind: 'init' }, (d) => `the implementation has no ${d.kind} step`)
        .exhaustive();
      await settled();
      return refused;
    },
    observe(process) {
      if (process === 'instance') return reportedState(process, cluster.instance.state());
      if (process === 'cp') return reportedState(process, cluster.authority.state());
      const node = replica(process);
      return node?.up ? reportedState(process, node.state()) : undefined;
    },
  };
}
