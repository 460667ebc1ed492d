import { assign, emit, enqueueActions, setup } from 'xstate';
import { AGENT, CLIENT, PRIMARY, STANDBY, type Emitted, type FailoverVariant, type PrimaryDown } from './messages.js';

/**
 * The RDS monitoring agent. It runs outside both Availability Zones, watches the
 * primary's health and decides whether to fail over to the standby. What it
 * observes arrives as `PRIMARY_DOWN` events (see `observations.ts`): the primary
 * failed, whether its host still answers, and what it can learn about the
 * standby's currency from the primary or from the primary's volume.
 *
 * - buggy (2011): fails over only when it learns the standby is current; a
 *   reachable primary is fenced first and the decision taken on what the fenced
 *   primary reports. If the primary marked the standby out of date it
 *   hands the database to a person; if it can learn nothing it waits, in doubt.
 * - naive-failover: fails over whenever the primary is down, without looking.
 * - fixed: fails over whenever the primary is down. It need not look: in the
 *   fixed design the primary never acknowledges a commit the standby lacks, and
 *   the promoted standby refuses replication from the old epoch, so the old
 *   primary can never acknowledge again.
 */
export interface AgentContext {
  epoch: number;
  /** The replica the agent designates as the writable database. */
  designated: string;
  /** What the agent concluded when it did not fail over. */
  decision: 'none' | 'cannot-tell' | 'unsafe';
}

type AgentEvent = PrimaryDown | { type: 'FENCED'; standbyOutdated: boolean; from: string };

export function createAgentMachine(variant: FailoverVariant) {
  const checksStandby = variant === 'buggy';
  return setup({
    types: {} as { context: AgentContext; events: AgentEvent; emitted: Emitted },
    actions: {
      promote: enqueueActions(({ context, enqueue }) => {
        const epoch = context.epoch + 1;
        enqueue.assign({ epoch, designated: STANDBY });
        enqueue.emit({ type: 'send', to: STANDBY, msg: { type: 'PROMOTE', epoch, from: AGENT } });
        enqueue.emit({ type: 'send', to: CLIENT, msg: { type: 'ENDPOINT', db: STANDBY, epoch, from: AGENT } });
      }),
      fence: emit(({ context }) => ({ type: 'send' as const, to: PRIMARY, msg: { type: 'FENCE', epoch: context.epoch + 1, from: AGENT } })),
      unsafe: assign({ decision: 'unsafe' as const }),
      cannotTell: assign({ decision: 'cannot-tell' as const }),
    },
    guards: {
      blind: () => !checksStandby,
      safeDead: ({ event }) => event.type === 'PRIMARY_DOWN' && event.record === 'standby-current' && !event.reachable,
      safeReachable: ({ event }) => event.type === 'PRIMARY_DOWN' && event.record === 'standby-current' && event.reachable,
      unsafe: ({ event }) => event.type === 'PRIMARY_DOWN' && event.record === 'standby-outdated',
      fencedOutdated: ({ event }) => event.type === 'FENCED' && event.standbyOutdated,
      unknown: ({ event }) => event.type === 'PRIMARY_DOWN' && event.record === 'unknown',
    },
  }).createMachine({
    id: 'agent',
    context: { epoch: 1, designated: PRIMARY, decision: 'none' },
    initial: 'watching',
    states: {
      watching: { on: { PRIMARY_DOWN: decide(true) } },
      // The agent saw the primary fail but could read neither it nor its volume; it decides once it can.
      'in-doubt': { on: { PRIMARY_DOWN: decide(false) } },
      // The agent decides only on the fenced primary's own report: read before fencing, it could change.
      fencing: {
        on: {
          FENCED: [
            { guard: 'fencedOutdated', target: 'awaiting-operator', actions: 'unsafe' },
            { target: 'failed-over', actions: 'promote' },
          ],
        },
      },
      'failed-over': {},
      // Failing over could lose acknowledged commits: a person must decide.
      'awaiting-operator': {},
    },
  });

  function decide(orDoubt: boolean) {
    const decisions = [
      { guard: 'blind' as const, target: 'failed-over', actions: 'promote' as const },
      { guard: 'safeDead' as const, target: 'failed-over', actions: 'promote' as const },
      { guard: 'safeReachable' as const, target: 'fencing', actions: 'fence' as const },
      { guard: 'unsafe' as const, target: 'awaiting-operator', actions: 'unsafe' as const },
    ];
    const doubt = { guard: 'unknown' as const, target: 'in-doubt', actions: 'cannotTell' as const };
    return orDoubt ? [...decisions, doubt] : decisions;
  }
}
