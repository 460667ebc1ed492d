import { always, defineModel, eventually, sometimes, type SourceRef, type WorldView } from '../src/index.js';
import type { ClientContext } from '../models/rds-failover/client.js';
import type { DatabaseContext } from '../models/rds-failover/database.js';
import { AGENT, CLIENT, PRIMARY, STANDBY, VOLUME } from '../models/rds-failover/messages.js';
import { agentOf, commitsHeldBy, faultInForce, volumeStuck, writable } from '../models/rds-failover/observations.js';
import { FIXED_CONFIGS, failoverConfigNotes, failoverConfigs, failoverVariants } from '../models/rds-failover/variants.js';
import { buildFailoverWorld, type FailoverConfig } from '../models/rds-failover/world.js';
import type { FailoverVariant } from '../models/rds-failover/design.js';

const SECTION = 'Impact on Amazon Relational Database Service (RDS)';
const synchronous: SourceRef = {
  section: SECTION,
  quote: 'RDS multi-AZ deployments provide redundancy by synchronously replicating data between two database replicas in different Availability Zones.',
};
const failsOver: SourceRef = { section: SECTION, quote: 'RDS is designed to automatically detect the disruption and fail over to the secondary replica.' };
const isolated: SourceRef = {
  section: SECTION,
  quote:
    'This bug left the primary replica in an isolated state where it was not safe for our monitoring agent to automatically fail over to the secondary replica without risking data loss, and manual intervention was required.',
};
const rapidSuccession: SourceRef = {
  section: SECTION,
  quote:
    'The primary cause was that the rapid succession of network interruption (which partitioned the primary from the secondary) and "stuck" I/O on the primary replica triggered a previously un-encountered bug.',
};
const fixPromised: SourceRef = { section: SECTION, quote: 'We are actively working on a fix to resolve this issue.' };

const acked = (w: WorldView) => (w.process(CLIENT).context as ClientContext).acked;
const databases = [PRIMARY, STANDBY];

export const noLostCommits = always({
  name: 'no-lost-commits',
  statement: 'Every commit acknowledged to the application is held by the database the agent designates as writable, before and after any failover.',
  guards: isolated,
  check(w) {
    const agent = agentOf(w);
    if (!agent) return undefined;
    const held = commitsHeldBy(w, agent.designated);
    const missing = acked(w).filter((id) => !held.includes(id));
    if (missing.length === 0) return undefined;
    const where = agent.designated === STANDBY ? `the standby ${STANDBY}, which the agent fails over to in epoch ${agent.epoch},` : `the primary ${PRIMARY}`;
    const only = commitsHeldBy(w, PRIMARY).includes(missing[0]!) ? ` It exists only on ${VOLUME}, the old primary's volume.` : '';
    return { message: `commit ${missing[0]} was acknowledged to the application, but ${where} does not hold it.${only}`, processes: [agent.designated, CLIENT, AGENT] };
  },
});

export const standbyHoldsAcked = always({
  name: 'standby-holds-acked',
  statement: "Every commit acknowledged to the application is on the standby's own storage, so a failover at any moment loses nothing.",
  guards: synchronous,
  check(w) {
    const missing = acked(w).filter((id) => !commitsHeldBy(w, STANDBY).includes(id));
    if (missing.length === 0) return undefined;
    const a = w.process(PRIMARY).context as DatabaseContext;
    const how = a.mode === 'alone' ? `${PRIMARY} acknowledged it alone, having marked ${STANDBY} out of date` : `${PRIMARY} acknowledged it in ${a.mode} mode`;
    return { message: `commit ${missing[0]} was acknowledged to the application but ${STANDBY} does not hold it: ${how}`, processes: [PRIMARY, STANDBY, CLIENT] };
  },
});

export const singleWriter = always({
  name: 'single-writer',
  statement: 'At most one database would acknowledge a commit at any moment: once the standby is promoted in a new epoch, the old primary can no longer get one acknowledged.',
  guards: synchronous,
  check(w) {
    const both = databases.filter((db) => writable(w, db));
    if (both.length < 2) return undefined;
    const a = w.process(PRIMARY).context as DatabaseContext;
    const b = w.process(STANDBY).context as DatabaseContext;
    const how = a.mode === 'alone' ? 'alone, having marked its standby out of date' : `in epoch ${a.epoch}, replicating to ${STANDBY}, which still applies that epoch`;
    return { message: `two writable databases: ${PRIMARY} commits ${how}, while ${STANDBY} was promoted in epoch ${b.epoch}`, processes: both };
  },
});

export const epochsIssuedByAgent = always({
  name: 'epochs-issued-by-agent',
  statement: "No replica is in an epoch newer than the agent's own record: every epoch in use was issued by the agent, which never issues one twice.",
  guards: failsOver,
  check(w) {
    const agent = agentOf(w);
    if (!agent) return undefined;
    const ahead = databases.find((db) => ((w.process(db).context as Pick<DatabaseContext, 'epoch'> | null)?.epoch ?? 0) > agent.epoch);
    if (!ahead) return undefined;
    const epoch = (w.process(ahead).context as Pick<DatabaseContext, 'epoch'>).epoch;
    return { message: `${ahead} is in epoch ${epoch}, but the agent's record says epoch ${agent.epoch} and designates ${agent.designated}: it would issue epoch ${epoch} again`, processes: [ahead, AGENT] };
  },
});

export const noManualIntervention = always({
  name: 'no-manual-intervention',
  statement: 'The monitoring agent never hands the database to a person: it fails over safely, or has no need to.',
  guards: isolated,
  check(w) {
    if (agentOf(w)?.phase !== 'awaiting-operator') return undefined;
    const a = w.process(PRIMARY).context as DatabaseContext;
    const why =
      a.mode === 'outdating-peer'
        ? `${PRIMARY}, cut off from ${STANDBY}, had begun marking it out of date${volumeStuck(w) ? ` when ${VOLUME} stuck` : ''}, so it cannot vouch for ${STANDBY}`
        : `${PRIMARY}, cut off from ${STANDBY}, had marked it out of date to commit without it`;
    return { message: `${why}; failing over could lose acknowledged commits, so the agent leaves the database to a person`, processes: [AGENT, PRIMARY, VOLUME] };
  },
});

export const eventuallyAvailable = eventually({
  name: 'eventually-available',
  statement:
    "Once the primary's volume is stuck, the database the agent designates eventually serves writes again without a person, even while the primary's zone stays cut off, unless the standby or the agent stays down.",
  guards: failsOver,
  trigger: volumeStuck,
  goal: (w) => faultInForce(w) || (agentOf(w) !== undefined && writable(w, agentOf(w)!.designated)),
});

export const promotionCompletes = eventually({
  name: 'promotion-completes',
  statement: 'Once the agent designates the standby, the standby eventually serves writes and the agent knows the failover is complete, unless the standby or the agent stays down.',
  guards: failsOver,
  trigger: (w) => agentOf(w)?.designated === STANDBY,
  goal: (w) => faultInForce(w) || (writable(w, STANDBY) && agentOf(w)?.phase === 'failed-over'),
});

export const failoverCompletes = sometimes({
  name: 'failover-completes',
  statement: 'The agent can promote the standby, and the promoted standby then serves writes.',
  guards: failsOver,
  reached: (w) => agentOf(w)?.designated === STANDBY && writable(w, STANDBY),
});

export const rdsFailover = defineModel<FailoverConfig>({
  name: 'rds-failover',
  summary:
    "An RDS multi-AZ database: a primary with an EBS volume in one zone, a synchronous standby in another, the application, and the monitoring agent that decides failover from health checks, under a cut of the primary's zone, stuck I/O, lost messages and crashes.",
  incident: '2011',
  configs: failoverConfigs,
  checked: FIXED_CONFIGS,
  configNotes: failoverConfigNotes,
  variants: failoverVariants({ rapidSuccession, isolated, fixPromised }),
  properties: [noLostCommits, standbyHoldsAcked, singleWriter, epochsIssuedByAgent, noManualIntervention, eventuallyAvailable, promotionCompletes, failoverCompletes],
  build: (variant, config) => buildFailoverWorld(variant as FailoverVariant, config),
});
