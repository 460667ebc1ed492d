import { assign, emit, enqueueActions, setup } from 'xstate';
import type { FailoverDesign } from './design.js';
import { AGENT, PRIMARY, STANDBY, send, type Emitted } from './messages.js';

/**
 * The RDS monitoring agent, outside both Availability Zones. It knows only what
 * messages tell it. Its failure detector is a timer (`SUSPECT`) that may fire
 * at any moment, so a live primary can be suspected. Once it suspects:
 * - it opens a new epoch, recorded before it is used, and fences the primary
 *   (`FENCE`, resent on `RETRY`); a fenced primary stops acknowledging and
 *   reports whether the standby holds every acknowledged commit (`FENCED`);
 * - on a report that the standby is current it promotes it; on a report that
 *   it is not, failing over could lose commits: it leaves the database to a person;
 * - when no report comes before `FENCE_TIMEOUT` (which may fire while the
 *   report is on its way), the 2011 agent keeps asking, in doubt; the fixed
 *   agent fails over anyway, which is safe only because its primary never
 *   acknowledges a commit the standby lacks;
 * - promoting: `PROMOTE` of the new epoch to the standby, resent on `RETRY`
 *   until it answers `PROMOTED`.
 * The naive agent promotes at once, without fencing or asking.
 */
export interface AgentContext {
  epoch: number;
  /** The replica the agent designates as the writable database. */
  designated: string;
  /** What the agent is doing, as far as a restart must know it. */
  phase: 'watching' | 'fencing' | 'promoting' | 'failed-over' | 'awaiting-operator';
}

type AgentEvent =
  | { type: 'FENCED'; epoch: number; standbyCurrent: boolean; from: string }
  | { type: 'PROMOTED'; epoch: number; from: string }
  | { type: 'SUSPECT' }
  | { type: 'FENCE_TIMEOUT' }
  | { type: 'RETRY' };

const FRESH: AgentContext = { epoch: 1, designated: PRIMARY, phase: 'watching' };

export function createAgentMachine(design: FailoverDesign) {
  const promoteAtOnce = design.agentPolicy === 'promote-at-once';
  return setup({
    types: {} as { context: AgentContext; events: AgentEvent; input: { durable?: AgentContext | null }; emitted: Emitted },
    actions: {
      fence: enqueueActions(({ context, enqueue }) => {
        const epoch = context.epoch + 1;
        enqueue.assign({ epoch, phase: 'fencing' });
        enqueue.emit(send(PRIMARY, { type: 'FENCE', epoch, from: AGENT }));
      }),
      resendFence: emit(({ context }) => send(PRIMARY, { type: 'FENCE', epoch: context.epoch, from: AGENT })),
      // From fencing the epoch is already new; the naive agent opens it here.
      promote: enqueueActions(({ context, enqueue }) => {
        const epoch = context.phase === 'fencing' ? context.epoch : context.epoch + 1;
        enqueue.assign({ epoch, designated: STANDBY, phase: 'promoting' });
        enqueue.emit(send(STANDBY, { type: 'PROMOTE', epoch, from: AGENT }));
      }),
      resendPromote: emit(({ context }) => send(STANDBY, { type: 'PROMOTE', epoch: context.epoch, from: AGENT })),
      failedOver: assign({ phase: 'failed-over' as const }),
      giveUp: assign({ phase: 'awaiting-operator' as const }),
    },
    guards: {
      resumeFencing: ({ context }) => context.phase === 'fencing',
      resumePromoting: ({ context }) => context.phase === 'promoting',
      resumeFailedOver: ({ context }) => context.phase === 'failed-over',
      resumeOperator: ({ context }) => context.phase === 'awaiting-operator',
      promoteAtOnce: () => promoteAtOnce,
      current: ({ context, event }) => event.type === 'FENCED' && event.epoch === context.epoch && event.standbyCurrent,
      outdated: ({ context, event }) => event.type === 'FENCED' && event.epoch === context.epoch && !event.standbyCurrent,
      failsOverInDoubt: () => design.agentPolicy === 'fence-then-fail-over',
      retriesPromote: () => design.promoteRetried,
      promotedNow: ({ context, event }) => event.type === 'PROMOTED' && event.epoch === context.epoch,
    },
  }).createMachine({
    id: 'agent',
    context: ({ input }) => input.durable ?? FRESH,
    initial: 'starting',
    states: {
      // Back from a crash, the agent resumes what its durable record says it was doing.
      starting: {
        always: [
          { guard: 'resumeFencing', target: 'fencing', actions: 'resendFence' },
          { guard: 'resumePromoting', target: 'promoting', actions: 'resendPromote' },
          { guard: 'resumeFailedOver', target: 'failed-over' },
          { guard: 'resumeOperator', target: 'awaiting-operator' },
          { target: 'watching' },
        ],
      },
      watching: {
        on: { SUSPECT: [{ guard: 'promoteAtOnce', target: 'promoting', actions: 'promote' }, { target: 'fencing', actions: 'fence' }] },
      },
      fencing: {
        on: {
          FENCED: [
            { guard: 'current', target: 'promoting', actions: 'promote' },
            { guard: 'outdated', target: 'awaiting-operator', actions: 'giveUp' },
          ],
          RETRY: { actions: 'resendFence' },
          FENCE_TIMEOUT: { guard: 'failsOverInDoubt', target: 'promoting', actions: 'promote' },
        },
      },
      promoting: {
        on: {
          PROMOTED: { guard: 'promotedNow', target: 'failed-over', actions: 'failedOver' },
          RETRY: { guard: 'retriesPromote', actions: 'resendPromote' },
        },
      },
      'failed-over': {},
      // Failing over could lose acknowledged commits: a person must decide.
      'awaiting-operator': {},
    },
  });
}
