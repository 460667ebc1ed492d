import type { TimeoutSpec, WorldSpec } from '../../src/index.js';
import { createAgentMachine } from './agent.js';
import { createClientMachine } from './client.js';
import { createDatabaseMachine } from './database.js';
import { AGENT, CLIENT, PRIMARY, STANDBY, VOLUME, type FailoverVariant, type PrimaryDown, type StandbyRecord } from './messages.js';
import { agentOf, commitsHeldBy, lostStandby, nothingInFlight, primaryImpaired, primaryReachable, standbyRecord } from './observations.js';
import { createVolumeMachine } from './volume.js';

export interface FailoverConfig {
  /** Transactions the client commits. */
  commits: number;
  /** Faults that take out a process: the volume's I/O sticking, or (with `zoneLoss`) the primary's zone going down. */
  crashes: number;
  /** Whether the primary's database host can be lost with its zone (else only its volume can stick). */
  zoneLoss: boolean;
}

export const failoverConfigs = {
  'partition-then-stuck': { commits: 2, crashes: 1, zoneLoss: false },
  'zone-loss': { commits: 2, crashes: 1, zoneLoss: true },
  'one-commit': { commits: 1, crashes: 1, zoneLoss: true },
} satisfies Record<string, FailoverConfig>;

export const failoverVariants = {
  buggy:
    'As in 2011: a primary cut off from its standby marks it out of date and commits alone; the agent fails over only when it can learn the standby is current, so a partition followed by stuck I/O leaves it unable to tell, and a person must step in.',
  'naive-failover': 'The obvious patch: the agent fails over whenever the primary is down, without asking whether the standby has every acknowledged commit.',
  fixed:
    'Commits are acknowledged only once the standby holds them (a primary never commits alone), and the promoted standby refuses the old epoch; so the agent may fail over whenever the primary is down.',
} satisfies Record<FailoverVariant, string>;

const RECORDS: StandbyRecord[] = ['standby-current', 'standby-outdated', 'unknown'];

/** One timer per observation the agent can make when the primary goes down. */
function agentObservations(): TimeoutSpec[] {
  const out: TimeoutSpec[] = [];
  for (const record of RECORDS) {
    for (const reachable of [true, false]) {
      if (record === 'unknown' && reachable) continue;
      const event: PrimaryDown = { type: 'PRIMARY_DOWN', record, reachable };
      out.push({ event, when: (w) => primaryImpaired(w) && primaryReachable(w) === reachable && standbyRecord(w) === record });
    }
  }
  return out;
}

export function buildFailoverWorld(variant: FailoverVariant, config: FailoverConfig): WorldSpec {
  const database = createDatabaseMachine(variant);
  return {
    processes: {
      [CLIENT]: { machine: createClientMachine(), requests: [{ type: 'COMMIT' }], role: 'client' },
      [PRIMARY]: {
        machine: database,
        input: { id: PRIMARY, role: 'primary', volume: VOLUME, peer: STANDBY },
        role: 'server',
        timeouts: [
          { event: { type: 'PEER_LOST' }, when: lostStandby },
          { event: { type: 'RETRY' }, when: (w) => nothingInFlight(w, PRIMARY) },
        ],
        // Losing the zone loses the host; the data lives on the volume.
        ...(config.zoneLoss ? { crash: { durable: () => 'zone lost' } } : {}),
      },
      [VOLUME]: {
        machine: createVolumeMachine(),
        input: {},
        role: 'server',
        crash: { durable: (c: unknown) => c },
      },
      [STANDBY]: { machine: database, input: { id: STANDBY, role: 'standby', volume: null, peer: PRIMARY }, role: 'server' },
      [AGENT]: { machine: createAgentMachine(variant), role: 'authority', timeouts: agentObservations() },
    },
    network: 'bag',
    // The network interruption cut the primary's zone (the primary, its volume and the application beside it)
    // off from the standby's zone and from the monitoring agent.
    partitions: [{ name: 'zone a cut off', group: [PRIMARY, VOLUME, CLIENT] }],
    budgets: { partition: 1, crash: config.crashes, request: config.commits, drop: 0 },
    view: {
      'designated writable database': (w) => `${agentOf(w).designated} (epoch ${agentOf(w).epoch})`,
      'acknowledged commits': (w) => w.process(CLIENT).context.acked,
      'on vol-a': (w) => commitsHeldBy(w, PRIMARY),
      'on db-b': (w) => commitsHeldBy(w, STANDBY),
      'what the agent can learn': (w) => standbyRecord(w),
    },
  };
}
