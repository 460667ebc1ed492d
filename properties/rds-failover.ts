import { always, defineModel, eventually, sometimes, type Fact, type SourceRef, type WorldView } from '../src/index.js';
import { describeOp, type ClientContext, type ClientOp } from '../models/rds-failover/client.js';
import { conflictIn, judgeHistory, nameOp } from '../models/rds-failover/history.js';
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
const db = (w: WorldView, name: string) => w.process(name).context as DatabaseContext;

/** Facts the explanations date; each says what it is and how to test it in any state. */
const ackedCommit = (id: number): Fact => ({ says: `the application has commit ${id} acknowledged`, holds: (w) => acked(w).includes(id) });
const lacks = (replica: string, id: number): Fact => ({ says: `${replica} does not hold commit ${id}`, holds: (w) => !commitsHeldBy(w, replica).includes(id) });
const designates = (replica: string, epoch: number): Fact => ({
  says: `the agent designates ${replica} as the writable database in epoch ${epoch}`,
  holds: (w) => agentOf(w)?.designated === replica && agentOf(w)?.epoch === epoch,
});
const inMode = (replica: string, mode: DatabaseContext['mode'], says: string): Fact => ({ says, holds: (w) => !w.process(replica).crashed && db(w, replica).mode === mode });
const stuck: Fact = { says: `${VOLUME}'s I/O is stuck`, holds: volumeStuck };
const canWrite = (replica: string, says: string): Fact => ({ says, holds: (w) => writable(w, replica) });

/** Why a replica is not serving writes now: the first reason that applies, as a fact dated by when it came to hold. */
function whyNotWritable(w: WorldView, replica: string): Fact {
  const p = w.process(replica);
  if (p.crashed) return { says: `${replica} is down`, holds: (x) => x.process(replica).crashed };
  if (!p.is('serving')) {
    const state = String(p.value);
    return { says: `${replica} is ${state}, not serving`, holds: (x) => !x.process(replica).crashed && String(x.process(replica).value) === state };
  }
  const self = db(w, replica);
  const volume = self.volume;
  if (volume && w.process(volume).crashed) return { says: `${replica}'s volume ${volume} is stuck`, holds: (x) => x.process(volume).crashed };
  if (volume && !w.connected(replica, volume)) return { says: `${replica} is cut off from its volume`, holds: (x) => !x.connected(replica, volume) };
  if (self.mode === 'outdating-peer') return inMode(replica, 'outdating-peer', `${replica} waits to mark its standby out of date`);
  return { says: `${replica}'s commits cannot reach its standby`, holds: (x) => !writable(x, replica) };
}

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
  explain(w) {
    const agent = agentOf(w);
    const missing = agent && acked(w).find((id) => !commitsHeldBy(w, agent.designated).includes(id));
    if (!agent || missing === undefined) return undefined;
    return {
      facts: [ackedCommit(missing), designates(agent.designated, agent.epoch), lacks(agent.designated, missing)],
      so: `the database the application now writes to has lost acknowledged commit ${missing}${commitsHeldBy(w, PRIMARY).includes(missing) && agent.designated !== PRIMARY ? ` (it survives only on ${VOLUME})` : ''}`,
    };
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
  explain(w) {
    const missing = acked(w).find((id) => !commitsHeldBy(w, STANDBY).includes(id));
    if (missing === undefined) return undefined;
    const alone = db(w, PRIMARY).mode === 'alone';
    return {
      facts: [
        alone
          ? inMode(PRIMARY, 'alone', `${PRIMARY} has marked ${STANDBY} out of date and commits alone`)
          : {
              says: `${PRIMARY} counts commit ${missing} as replicated to ${STANDBY}`,
              holds: (x: WorldView) => db(x, PRIMARY).lastAcked >= missing || (db(x, PRIMARY).pending?.id === missing && db(x, PRIMARY).pending!.replicated),
            },
        ackedCommit(missing),
        lacks(STANDBY, missing),
      ],
      so: `a failover to ${STANDBY} now would lose acknowledged commit ${missing}`,
    };
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
  explain(w) {
    if (!databases.every((d) => writable(w, d))) return undefined;
    const a = db(w, PRIMARY);
    const how = a.mode === 'alone' ? 'alone, having marked its standby out of date' : `in epoch ${a.epoch}, replicating to ${STANDBY}, which still applies that epoch`;
    return {
      facts: [
        { ...canWrite(STANDBY, `${STANDBY} is promoted and would acknowledge a commit in epoch ${db(w, STANDBY).epoch}`) },
        canWrite(PRIMARY, `${PRIMARY} would still get a commit acknowledged, ${how}`),
      ],
      so: 'two databases accept writes at once, and the application\'s commits can diverge between them',
    };
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
  explain(w) {
    const agent = agentOf(w);
    const ahead = agent && databases.find((d) => ((w.process(d).context as Pick<DatabaseContext, 'epoch'> | null)?.epoch ?? 0) > agent.epoch);
    if (!agent || !ahead) return undefined;
    const epoch = (w.process(ahead).context as Pick<DatabaseContext, 'epoch'>).epoch;
    return {
      facts: [
        { says: `${ahead} is in epoch ${epoch}, issued by the agent`, holds: (x) => ((x.process(ahead).context as Pick<DatabaseContext, 'epoch'> | null)?.epoch ?? 0) >= epoch },
        { says: `the agent's record says epoch ${agent.epoch}`, holds: (x) => agentOf(x)?.epoch === agent.epoch },
      ],
      so: `the agent has forgotten an epoch it issued and would issue epoch ${epoch} a second time`,
    };
  },
});

export const noManualIntervention = always({
  name: 'no-manual-intervention',
  statement: 'The monitoring agent never hands the database to a person: it fails over safely, or has no need to.',
  guards: isolated,
  check(w) {
    if (agentOf(w)?.phase !== 'awaiting-operator') return undefined;
    const how = db(w, PRIMARY).mode === 'outdating-peer' ? 'had begun marking it out of date' : 'had marked it out of date';
    return { message: `${PRIMARY}, cut off from ${STANDBY}, ${how}; the agent cannot vouch for ${STANDBY} and leaves the database to a person`, processes: [AGENT, PRIMARY, VOLUME] };
  },
  explain(w) {
    if (agentOf(w)?.phase !== 'awaiting-operator') return undefined;
    const mode = db(w, PRIMARY).mode;
    const n = acked(w).length;
    return {
      facts: [
        mode === 'outdating-peer' || mode === 'alone'
          ? inMode(PRIMARY, mode, `${PRIMARY}, cut off from ${STANDBY}, ${mode === 'alone' ? 'has marked' : 'begins marking'} ${STANDBY} out of date`)
          : { says: `${PRIMARY} is in mode ${mode}`, holds: (x) => db(x, PRIMARY).mode === mode },
        ...(volumeStuck(w) ? [stuck] : []),
        { says: 'the agent\'s fence hears that the standby may be out of date, and it hands the database to a person', holds: (x) => agentOf(x)?.phase === 'awaiting-operator' },
      ],
      so: `the agent cannot tell whether ${STANDBY} holds every acknowledged commit (${n === 0 ? 'none was acknowledged yet, but it cannot know that' : `${n} acknowledged`}), so no failover happens without a person`,
    };
  },
});

export const eventuallyAvailable = eventually({
  name: 'eventually-available',
  statement:
    "Once the primary's volume is stuck, the database the agent designates eventually serves writes again without a person, even while the primary's zone stays cut off, unless the standby or the agent stays down.",
  guards: failsOver,
  trigger: volumeStuck,
  goal: (w) => faultInForce(w) || (agentOf(w) !== undefined && writable(w, agentOf(w)!.designated)),
  explain(w) {
    const agent = agentOf(w);
    if (!agent) return undefined;
    const why = whyNotWritable(w, agent.designated);
    return {
      // The stuck volume is said once: as the reason itself when it is the reason.
      facts: [...(why.says.includes(VOLUME) ? [] : [stuck]), { ...designates(agent.designated, agent.epoch), says: `the agent designates ${agent.designated} (epoch ${agent.epoch}, ${agent.phase})` }, why],
      so: `from here on nothing the agent or the databases do makes ${agent.designated} serve writes again: the database stays unavailable without a person`,
    };
  },
});

export const promotionCompletes = eventually({
  name: 'promotion-completes',
  statement: 'Once the agent designates the standby, the standby eventually serves writes and the agent knows the failover is complete, unless the standby or the agent stays down.',
  guards: failsOver,
  trigger: (w) => agentOf(w)?.designated === STANDBY,
  goal: (w) => faultInForce(w) || (writable(w, STANDBY) && agentOf(w)?.phase === 'failed-over'),
  explain(w) {
    const agent = agentOf(w);
    if (!agent) return undefined;
    const missing = writable(w, STANDBY)
      ? { says: `the agent is still ${agent.phase}: it never learns the promotion is done`, holds: (x: WorldView) => agentOf(x)?.phase === agent.phase }
      : whyNotWritable(w, STANDBY);
    return {
      facts: [designates(STANDBY, agent.epoch), missing],
      so: 'nothing the protocol still owes completes the failover: no retry is left to take',
    };
  },
});

const history = (w: WorldView): ClientOp[] => (w.process(CLIENT).context as ClientContext).history;
/** Operation i of the application's history answered as it was in the broken state. */
const answered = (h: ClientOp[], i: number): Fact => {
  const o = h[i]!;
  return {
    says: o.op === 'commit' ? `the application has ${nameOp(h, i)} acknowledged` : `the application's ${nameOp(h, i)} returns ${outputOf(o)}`,
    holds: (x) => JSON.stringify(history(x)[i]) === JSON.stringify(o),
  };
};
const outputOf = (o: ClientOp) => describeOp(o).replace(/^[^:]*: /, '');

export const linearizable = always({
  name: 'linearizable',
  statement:
    "The application's commits and reads, as it saw them (each from when it sent it to when it got the answer; one never answered stays pending), are linearizable as operations on one log of committed transactions, before and after any failover.",
  guards: synchronous,
  check(w) {
    const h = history(w);
    if (judgeHistory(h).linearizable) return undefined;
    const conflict = conflictIn(h);
    const what = conflict ? `${nameOp(h, conflict.op)} returned ${outputOf(h[conflict.op]!)}${conflict.after.length ? ` after ${conflict.after.map((i) => nameOp(h, i)).join(', ')} had been answered` : ''}: ` : '';
    return { message: `${what}no order of the application's operations (${h.map(describeOp).join('; ')}) gives that`, processes: [CLIENT, PRIMARY, STANDBY] };
  },
  explain(w) {
    const h = history(w);
    const conflict = judgeHistory(h).linearizable ? undefined : conflictIn(h);
    if (!conflict || conflict.after.length === 0) return undefined;
    const culprit = nameOp(h, conflict.op);
    const before = conflict.after.map((i) => nameOp(h, i)).join(', ');
    const them = conflict.after.length === 1 ? before : 'them';
    return {
      facts: [...conflict.after.map((i) => answered(h, i)), answered(h, conflict.op)],
      so: `${before} and ${culprit} cannot be ordered: ${culprit} was issued after ${before} had been answered, yet no log that has taken ${them} in answers ${outputOf(h[conflict.op]!)} to ${culprit}`,
    };
  },
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
  story: {
    // The agent's phase mirrors its machine state (kept for a restart); the view names its designation.
    // The client's budgets of operations only count down, and its ghost history repeats what its steps show
    // (the commit sent, the ACK, the READ_RESULT): hidden, so a step stays a line; `linearizable` names the operations.
    hide: ['agent.phase', 'client.commitsLeft', 'client.readsLeft', 'client.history'],
    replaces: {
      'designated writable database': ['agent.designated', 'agent.epoch'],
      'acknowledged commits': ['client.acked'],
      'on vol-a': ['vol-a.blocks'],
      'on db-b': ['db-b.log'],
    },
    faults: { [VOLUME]: { crash: `${VOLUME}'s I/O sticks`, restart: `${VOLUME} is restored`, down: 'stuck' } },
  },
  properties: [noLostCommits, standbyHoldsAcked, singleWriter, epochsIssuedByAgent, linearizable, noManualIntervention, eventuallyAvailable, promotionCompletes, failoverCompletes],
  build: (variant, config) => buildFailoverWorld(variant as FailoverVariant, config),
});
