import { assign, enqueueActions, setup } from 'xstate';
import { CONTROL_PLANE, type AnswerMsg, type CallKind, type CallMsg, type Emitted } from './messages.js';

/** A thread at work: the call it serves and the tick at which it took the thread. */
export interface Hold {
  from: string;
  az: string;
  kind: CallKind;
  id: number;
  since: number;
}

export interface ControlPlanePolicy {
  /** Ticks a thread waits on an EBS cluster before it gives up and answers "timed out". */
  timeout: number;
  /** Most threads one AZ may hold at once; `threads` means no per-AZ limit (2011). */
  perAzLimit: number;
  /** The AZ whose cluster is stuck: its create-volume calls never complete (the environment, not the control plane's knowledge). */
  degradedAz: string;
  /** Whether a timed-out call gives its thread back; false is the classic forgotten release on the error path. */
  releaseOnTimeout: boolean;
}

export interface ControlPlaneContext {
  /** Ticks since the start; bounded by the world's tick budget. */
  clock: number;
  /** The regional pool: one slot per thread, null when free. */
  threads: Array<Hold | null>;
  /** Negotiation calls received during the current tick, saturating at threads + 1 (the load bound only asks "more than capacity?"). */
  negotiationsThisTick: number;
  policy: ControlPlanePolicy;
}

export interface ControlPlaneInput {
  threads: number;
  policy: ControlPlanePolicy;
}

type ControlPlaneEvent = CallMsg | { type: 'TICK' };

/** T: a healthy cluster answers within one tick, so a healthy AZ's call that got a thread is answered within T = 1 tick. */
export const ANSWER_WITHIN = 1;

export const heldBy = (context: ControlPlaneContext, az: string): number => context.threads.filter((h) => h !== null && h.az === az).length;

/**
 * Whether the cluster behind a call answers within the tick. A healthy cluster
 * does; the degraded one never answers a create-volume (it has no free space to
 * create it in). A negotiation is the control plane's own work as authority, so
 * it is answered within the tick whichever cluster asked.
 */
const completesThisTick = (hold: Hold, policy: ControlPlanePolicy): boolean => hold.kind === 'negotiate' || hold.az !== policy.degradedAz;

/** What one tick does to the pool: the threads that finish or time out are freed and their callers answered. */
function advance(context: ControlPlaneContext): { threads: Array<Hold | null>; answers: Array<{ to: string; msg: AnswerMsg }> } {
  const clock = context.clock + 1;
  const answers: Array<{ to: string; msg: AnswerMsg }> = [];
  const threads = context.threads.map((hold, i) => {
    if (hold === null) return null;
    if (completesThisTick(hold, context.policy)) {
      answers.push({ to: hold.from, msg: { type: 'ANSWER', from: CONTROL_PLANE, id: hold.id, outcome: 'done', thread: i + 1 } });
      return null;
    }
    if (clock - hold.since >= context.policy.timeout) {
      answers.push({ to: hold.from, msg: { type: 'ANSWER', from: CONTROL_PLANE, id: hold.id, outcome: 'timed-out', thread: i + 1 } });
      return context.policy.releaseOnTimeout ? null : { ...hold, since: clock - context.policy.timeout };
    }
    return hold;
  });
  return { threads, answers };
}

/** The thread a call would take now, or -1 when it must be refused (pool full, or its AZ at its limit). */
export function admit(context: ControlPlaneContext, call: CallMsg): number {
  if (heldBy(context, call.az) >= context.policy.perAzLimit) return -1;
  return context.threads.indexOf(null);
}

/**
 * The regional EBS control plane: a pool of worker threads shared by every AZ.
 * Each call takes the lowest free thread and keeps it until its cluster answers
 * or the time-out fires; a call that finds no thread it may take is refused at once.
 */
export function createControlPlaneMachine() {
  return setup({
    types: {} as { context: ControlPlaneContext; events: ControlPlaneEvent; input: ControlPlaneInput; emitted: Emitted },
    guards: {
      admitted: ({ context, event }) => event.type === 'CALL' && admit(context, event) >= 0,
    },
  }).createMachine({
    id: 'control-plane',
    // Tolerates a missing input: the fast stepper builds one actor per machine with `{}`.
    context: ({ input }) => ({
      clock: 0,
      threads: Array.from({ length: input?.threads ?? 0 }, () => null),
      negotiationsThisTick: 0,
      policy: input?.policy ?? { timeout: 1, perAzLimit: 0, degradedAz: '' },
    }),
    initial: 'serving',
    states: {
      serving: {
        on: {
          CALL: [
            {
              guard: 'admitted',
              actions: assign(({ context, event }) => {
                const thread = admit(context, event);
                const threads = context.threads.slice();
                threads[thread] = { from: event.from, az: event.az, kind: event.kind, id: event.id, since: context.clock };
                return { threads, negotiationsThisTick: countNegotiation(context, event) };
              }),
            },
            {
              actions: [
                assign(({ context, event }) => ({ negotiationsThisTick: countNegotiation(context, event) })),
                enqueueActions(({ event, enqueue }) => {
                  const msg: AnswerMsg = { type: 'ANSWER', from: CONTROL_PLANE, id: event.id, outcome: 'refused', thread: 0 };
                  enqueue.emit({ type: 'send', to: event.from, msg });
                }),
              ],
            },
          ],
          TICK: {
            actions: enqueueActions(({ context, enqueue }) => {
              const { threads, answers } = advance(context);
              enqueue.assign({ clock: context.clock + 1, threads, negotiationsThisTick: 0 });
              for (const answer of answers) enqueue.emit({ type: 'send', to: answer.to, msg: answer.msg });
            }),
          },
        },
      },
    },
  });
}

function countNegotiation(context: ControlPlaneContext, call: CallMsg): number {
  if (call.kind !== 'negotiate') return context.negotiationsThisTick;
  return Math.min(context.negotiationsThisTick + 1, context.threads.length + 1);
}
