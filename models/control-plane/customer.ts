import { assign, enqueueActions, setup } from 'xstate';
import { CONTROL_PLANE, type AnswerMsg, type CallMsg, type Emitted } from './messages.js';

/** How a customer's API client waits: it resends after `retryAfter` ticks without an answer, and gives up after `attempts` sends. */
export interface RetryPolicy {
  retryAfter: number;
  attempts: number;
}

/** S: the ticks a caller waits for an answer before it gives up on a call. */
export const patience = (policy: RetryPolicy): number => policy.retryAfter * policy.attempts;

export interface CustomerContext {
  /** This caller's process name, which the control plane answers. */
  name: string;
  az: string;
  /** The caller's own count of ticks: it stamps each call with the tick it was first sent. */
  clock: number;
  /** The number of the call in progress, or of the next call when idle. */
  call: number;
  /** The tick the call in progress was first sent. */
  sentAt: number;
  /** Ticks waited for the call in progress, saturating at the patience. */
  waited: number;
  /** Sends of the call in progress. */
  sends: number;
  retry: RetryPolicy;
}

type CustomerEvent = { type: 'CALL_API' } | { type: 'TICK' } | { type: 'TIMEOUT' } | AnswerMsg;

/**
 * One customer of an Availability Zone calling create-volume. It waits for the
 * answer to one call at a time. Its timer is its own: after `retryAfter` ticks
 * without an answer it resends the same call (the first may have been lost, or
 * its answer may still be on its way), and after S ticks it gives up; the
 * customer may then call again with a new number.
 */
export function createCustomerMachine() {
  return setup({
    types: {} as { context: CustomerContext; events: CustomerEvent; input: { name: string; az: string; retry: RetryPolicy }; emitted: Emitted },
    guards: {
      answersMine: ({ context, event }) => 'id' in event && event.id === context.call,
      retryDue: ({ context }) => context.sends < context.retry.attempts && context.waited >= context.retry.retryAfter * context.sends,
      patienceOver: ({ context }) => context.waited >= patience(context.retry),
    },
    actions: {
      send: enqueueActions(({ context, enqueue }) => {
        const msg: CallMsg = { type: 'CALL', from: context.name, az: context.az, kind: 'create-volume', id: context.call, sent: context.sentAt };
        enqueue.emit({ type: 'send', to: CONTROL_PLANE, msg });
      }),
      nextCall: assign(({ context }) => ({ call: context.call + 1, sentAt: 0, waited: 0, sends: 0 })),
    },
  }).createMachine({
    id: 'customer',
    context: ({ input }) => ({ name: input?.name ?? '', az: input?.az ?? '', clock: 0, call: 1, sentAt: 0, waited: 0, sends: 0, retry: input?.retry ?? { retryAfter: 1, attempts: 1 } }),
    initial: 'idle',
    on: { TICK: { actions: assign(({ context }) => ({ clock: context.clock + 1 })) } },
    states: {
      idle: {
        on: { CALL_API: { target: 'waiting', actions: [assign(({ context }) => ({ sentAt: context.clock, waited: 0, sends: 1 })), 'send'] } },
      },
      waiting: {
        on: {
          DONE: { guard: 'answersMine', target: 'idle', actions: 'nextCall' },
          TIMED_OUT: { guard: 'answersMine', target: 'idle', actions: 'nextCall' },
          REFUSED: { guard: 'answersMine', target: 'idle', actions: 'nextCall' },
          SHED: { guard: 'answersMine', target: 'idle', actions: 'nextCall' },
          TIMEOUT: [
            { guard: 'retryDue', actions: [assign(({ context }) => ({ sends: context.sends + 1 })), 'send'] },
            { guard: 'patienceOver', target: 'idle', actions: 'nextCall' },
          ],
          TICK: { actions: assign(({ context }) => ({ clock: context.clock + 1, waited: Math.min(context.waited + 1, patience(context.retry)) })) },
        },
      },
    },
  });
}
