import { always, defineModel, eventually, sometimes, type SourceRef, type WorldView } from '../src/index.js';
import type { ClientContext } from '../models/rds-failover/client.js';
import type { DatabaseContext } from '../models/rds-failover/database.js';
import { AGENT, CLIENT, PRIMARY, STANDBY, VOLUME, type FailoverVariant } from '../models/rds-failover/messages.js';
import { agentOf, commitsHeldBy, primaryZoneImpaired, recordOnceReadable, writable } from '../models/rds-failover/observations.js';
import { buildFailoverWorld, failoverConfigs, failoverVariants, type FailoverConfig } from '../models/rds-failover/world.js';

const SECTION = 'Impact on Amazon Relational Database Service (RDS)';
const multiAz: SourceRef = {
  section: SECTION,
  quote: 'multi-AZ deployments replicate synchronously between two replicas in different zones, and RDS is meant to detect a failure of the primary and fail over to the secondary on its own',
};
const isolatedBug: SourceRef = {
  section: SECTION,
  quote: 'a partition of the primary from the secondary followed quickly by stuck I/O on the primary left it isolated, so the monitoring agent could not fail over without risking data loss, and manual intervention was needed',
};

const acked = (w: WorldView) => (w.process(CLIENT).context as ClientContext).acked;
const databases = [PRIMARY, STANDBY];

export const noLostCommits = always({
  name: 'no-lost-commits',
  statement: 'Every commit acknowledged to the application is held by the database the agent designates as writable, before and after any failover.',
  guards: { section: SECTION, quote: 'the agent may fail over to the secondary only when doing so cannot lose data' },
  check(w) {
    const agent = agentOf(w);
    const held = commitsHeldBy(w, agent.designated);
    const missing = acked(w).filter((id) => !held.includes(id));
    if (missing.length === 0) return undefined;
    const where = agent.designated === STANDBY ? `the standby ${STANDBY}, which the agent fails over to in epoch ${agent.epoch},` : `the primary ${PRIMARY}`;
    const only = commitsHeldBy(w, PRIMARY).includes(missing[0]!) ? ` It exists only on ${VOLUME}, the old primary's volume.` : '';
    return {
      message: `commit ${missing[0]} was acknowledged to the application, but ${where} does not hold it.${only}`,
      processes: [agent.designated, CLIENT, AGENT],
    };
  },
});

export const singleWriter = always({
  name: 'single-writer',
  statement: 'At most one database would acknowledge a commit at any moment.',
  guards: multiAz,
  check(w) {
    const both = databases.filter((db) => writable(w, db));
    if (both.length < 2) return undefined;
    const a = w.process(PRIMARY).context as DatabaseContext;
    return {
      message: `two writable databases: ${PRIMARY} commits ${a.mode === 'alone' ? 'alone, having marked its standby out of date' : `in mode ${a.mode}`}, while ${STANDBY} was promoted in epoch ${agentOf(w).epoch}`,
      processes: both,
    };
  },
});

/** The reason, in words, why the agent did not and will not fail over: the end of a buggy story. */
function whyNoFailover(w: WorldView): string {
  const agent = agentOf(w);
  const hostLost = w.process(PRIMARY).crashed || w.process(PRIMARY).is('recovering');
  const impaired = hostLost ? `${PRIMARY}'s host was lost with its zone` : `${VOLUME}, ${PRIMARY}'s volume, is stuck`;
  const mode = hostLost ? 'alone' : (w.process(PRIMARY).context as DatabaseContext).mode;
  const alone = acked(w).filter((id) => !commitsHeldBy(w, STANDBY).includes(id));
  const marked =
    (mode === 'outdating-peer'
      ? `${PRIMARY}, cut off from ${STANDBY}, had begun marking it out of date to go on committing without it`
      : `${PRIMARY}, cut off from ${STANDBY}, had marked it out of date and went on committing without it`) +
    (alone.length > 0 ? ` (commits ${alone.join(', ')} were acknowledged and are on ${VOLUME} only)` : '');
  if (agent.decision === 'unsafe') {
    return `${impaired}; ${marked}, so failing over to ${STANDBY} could lose commits that exist only on ${VOLUME}: the agent leaves the database to a person`;
  }
  return (
    `${impaired}; ${marked}; ${PRIMARY} and ${VOLUME} are cut off from the agent, which can read neither, so it cannot tell whether ` +
    `${PRIMARY} acknowledged commits that ${STANDBY} lacks and does not fail over; once it can read them it will find ${STANDBY} out of date, so only a person can restore service`
  );
}

export const noManualIntervention = always({
  name: 'no-manual-intervention',
  statement: 'The monitoring agent is never left with a failed primary that only a person can fail over: it either fails over safely or has no need to.',
  guards: isolatedBug,
  check(w) {
    const agent = w.process(AGENT);
    // In doubt is final only when what the agent is missing would, once read, forbid failing over.
    const isolated = agent.is('in-doubt') && primaryZoneImpaired(w) && recordOnceReadable(w) === 'standby-outdated';
    return agent.is('awaiting-operator') || isolated ? { message: whyNoFailover(w), processes: [AGENT, PRIMARY, VOLUME] } : undefined;
  },
});

export const eventuallyAvailable = eventually({
  name: 'eventually-available',
  statement: "Once the primary's zone is impaired (its volume stuck, or its host lost with the zone) and the standby is healthy, the database eventually serves writes again without a person.",
  guards: multiAz,
  trigger: (w) => primaryZoneImpaired(w) && !w.process(STANDBY).crashed,
  goal: (w) => writable(w, agentOf(w).designated),
});

export const failoverCompletes = sometimes({
  name: 'failover-completes',
  statement: 'The agent can promote the standby, and the promoted standby then serves writes.',
  guards: multiAz,
  reached: (w) => agentOf(w).designated === STANDBY && writable(w, STANDBY),
});

export const rdsFailover = defineModel<FailoverConfig>({
  name: 'rds-failover',
  summary:
    "An RDS multi-AZ database: a primary with an EBS volume in one zone, a synchronous standby in another, the application, and the monitoring agent that decides failover, under a cut of the primary's zone, stuck I/O and zone loss.",
  incident: '2011',
  configs: failoverConfigs,
  variants: {
    buggy: {
      kind: 'as-it-happened',
      passage: { section: 'Impact on Amazon Relational Database Service (RDS)', quote: 'This bug left the primary replica in an isolated state where it was not safe for our monitoring agent to automatically fail over to the secondary replica without risking data loss' },
      summary: failoverVariants.buggy,
      expect: { 'no-lost-commits': 'holds', 'single-writer': 'holds', 'no-manual-intervention': 'violated', 'eventually-available': 'violated', 'failover-completes': 'holds' },
    },
    'naive-failover': {
      kind: 'without-safeguard',
      passage: { section: 'Impact on Amazon Relational Database Service (RDS)', quote: 'This bug left the primary replica in an isolated state where it was not safe for our monitoring agent to automatically fail over to the secondary replica without risking data loss' },
      summary: failoverVariants['naive-failover'],
      expect: { 'no-lost-commits': 'violated', 'single-writer': 'violated', 'no-manual-intervention': 'holds', 'eventually-available': 'holds', 'failover-completes': 'holds' },
    },
    fixed: {
      kind: 'fixed',
      remedy: 'own',
      passage: { section: 'Impact on Amazon Relational Database Service (RDS)', quote: 'We are actively working on a fix to resolve this issue.' },
      summary: failoverVariants.fixed,
      expect: { 'no-lost-commits': 'holds', 'single-writer': 'holds', 'no-manual-intervention': 'holds', 'eventually-available': 'holds', 'failover-completes': 'holds' },
    },
  },
  properties: [noLostCommits, singleWriter, noManualIntervention, eventuallyAvailable, failoverCompletes],
  build: (variant, config) => buildFailoverWorld(variant as FailoverVariant, config),
});
