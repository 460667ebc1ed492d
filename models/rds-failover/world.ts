import type { WorldSpec } from '../../src/index.js';
import { createAgentMachine, type AgentContext } from './agent.js';
import { createClientMachine } from './client.js';
import { createDatabaseMachine, type DatabaseContext, type DatabaseDurable } from './database.js';
import { designs, type FailoverVariant } from './design.js';
import { AGENT, CLIENT, PRIMARY, STANDBY, VOLUME } from './messages.js';
import { agentOf, commitsHeldBy, lostStandby, volumeStuck } from './observations.js';
import { createVolumeMachine } from './volume.js';

/** A process that can crash: `vol-a` (its I/O sticks; restart = the volume restored), the standby's host, the agent. */
export type Crashable = typeof VOLUME | typeof STANDBY | typeof AGENT;

export interface FailoverConfig {
  /** Transactions the client commits. */
  commits: number;
  /** Reads the client makes between commits (default: as many as commits); they give \`linearizable\` something to judge. */
  reads?: number;
  /** How many crashes one behaviour may contain, among `crashable`. */
  crashes: number;
  crashable: Crashable[];
  /** Messages the network may lose. */
  drops: number;
  /** Whether the primary's zone can be cut off (default yes). */
  partition?: boolean;
  /** Whether the agent's failure detector may fire (default yes); off, only the commit path runs. */
  agentSuspects?: boolean;
}

export const readsOf = (config: FailoverConfig): number => config.reads ?? config.commits;

export function buildFailoverWorld(variant: FailoverVariant, config: FailoverConfig): WorldSpec {
  const design = designs[variant];
  const database = createDatabaseMachine(design);
  const crashable = new Set<string>(config.crashable);
  return {
    processes: {
      [CLIENT]: { machine: createClientMachine(), input: { commits: config.commits, reads: readsOf(config) }, requests: [{ type: 'COMMIT' }, { type: 'READ' }], role: 'client' },
      [PRIMARY]: {
        machine: database,
        input: { id: PRIMARY, role: 'primary', volume: VOLUME, peer: STANDBY },
        role: 'server',
        timeouts: [
          // The 2011 primary's link to its standby broke (the passage's network interruption); only it has this timer.
          ...(design.primaryGoesAlone ? [{ event: { type: 'PEER_LOST' }, when: lostStandby }] : []),
          { event: { type: 'RETRY' } },
        ],
      },
      [VOLUME]: { machine: createVolumeMachine(), input: {}, role: 'server', ...(crashable.has(VOLUME) ? { crash: { durable: (c: unknown) => c } } : {}) },
      [STANDBY]: {
        machine: database,
        input: { id: STANDBY, role: 'standby', volume: null, peer: PRIMARY },
        role: 'server',
        ...(crashable.has(STANDBY)
          ? { crash: { durable: (c: DatabaseContext): DatabaseDurable => ({ log: c.log, epoch: c.epoch, promoted: c.mode === 'solo' }) } }
          : {}),
      },
      [AGENT]: {
        machine: createAgentMachine(design),
        input: {},
        role: 'authority',
        // Its failure detector, its wait for the fenced primary's report, its resends: none looks at whether anything arrived.
        timeouts: [
          ...(config.agentSuspects === false ? [] : [{ event: { type: 'SUSPECT' }, ...(design.accurateDetector ? { when: volumeStuck } : {}) }]),
          { event: { type: 'FENCE_TIMEOUT' } },
          { event: { type: 'RETRY' } },
        ],
        ...(crashable.has(AGENT) ? { crash: { durable: (c: AgentContext) => (design.agentDurable ? c : undefined) } } : {}),
      },
    },
    // TLA+-style: a message once sent may be received any number of times, in any order, until the network loses it
    // (a drop, a cut at sending, a crash of its receiver); so stale copies always come back, and a resend matters after a loss.
    network: 'persistent',
    // Every message stays and waits until a receiver can take it, as in the TLA+ message set.
    delivery: 'wait',
    // The network interruption cut the primary's zone (the primary, its volume and the application beside it)
    // off from the standby's zone and from the monitoring agent.
    partitions: [{ name: 'zone a cut off', group: [PRIMARY, VOLUME, CLIENT] }],
    budgets: { partition: config.partition === false ? 0 : 1, crash: config.crashes, request: config.commits + readsOf(config), drop: config.drops },
    view: {
      'designated writable database': (w) => `${agentOf(w)?.designated ?? '?'} (epoch ${agentOf(w)?.epoch ?? '?'})`,
      'acknowledged commits': (w) => w.process(CLIENT).context.acked,
      'on vol-a': (w) => commitsHeldBy(w, PRIMARY),
      'on db-b': (w) => commitsHeldBy(w, STANDBY),
    },
  };
}
