import { enqueueActions, setup } from 'xstate';
import { admission, canonicalPool, type ControlPlanePolicy, type Hold } from './pool.js';
import { CONTROL_PLANE, type AnswerMsg, type CallMsg, type Emitted } from './messages.js';

export interface ControlPlaneContext {
  /** Ticks since the start; bounded by the world's tick budget. */
  clock: number;
  /** The regional pool: one slot per thread, null when free. */
  threads: Array<Hold | null>;
  /** Per caller, the highest call number that ever took a thread: older numbers and copies are not served twice. */
  latest: Record<string, number>;
  policy: ControlPlanePolicy;
}

export interface ControlPlaneInput {
  threads: number;
  policy: ControlPlanePolicy;
}

type ControlPlaneEvent = CallMsg | { type: 'TICK' };

/**
 * Whether the cluster behind a call answers within the tick. A healthy cluster
 * does; the degraded one never answers a create-volume (it has no free space to
 * create it in). A negotiation is the control plane's own work as authority, so
 * it is answered within the tick whichever cluster asked. This is the
 * environment folded into the control plane, not something it knows.
 */
const completesThisTick = (hold: Hold, policy: ControlPlanePolicy): boolean => hold.kind === 'negotiate' || hold.az !== policy.degradedAz;

/** Whether a thread still waiting on its cluster gives up at this tick. */
function timedOut(hold: Hold, clock: number, policy: ControlPlanePolicy): boolean {
  return policy.timeout.from === 'taken' ? clock - hold.since >= policy.timeout.ticks : clock - hold.sent >= policy.timeout.ticks;
}

const reply = (to: string, msg: AnswerMsg): Emitted => ({ type: 'send', to, msg });

/** What one tick does to the pool: threads whose cluster answered, or that time out, answer their callers and are freed. */
function advance(context: ControlPlaneContext): { clock: number; threads: Array<Hold | null>; answers: Emitted[] } {
  const clock = context.clock + 1;
  const answers: Emitted[] = [];
  const threads = context.threads.map((hold) => {
    if (hold === null || hold.answered) return hold;
    if (completesThisTick(hold, context.policy)) {
      answers.push(reply(hold.from, { type: 'DONE', from: CONTROL_PLANE, id: hold.id }));
      return null;
    }
    if (!timedOut(hold, clock, context.policy)) return hold;
    answers.push(reply(hold.from, { type: 'TIMED_OUT', from: CONTROL_PLANE, id: hold.id, late: false }));
    // The slip kept as `leaky-timeout`: the caller is answered, the thread is never put back.
    return context.policy.releaseOnTimeout ? null : { ...hold, answered: true };
  });
  return { clock, threads: canonicalPool(threads), answers };
}


/**
 * The regional EBS control plane: a pool of worker threads shared by every AZ.
 * A call that is admitted takes the lowest free thread and keeps it until its
 * cluster answers or the time-out fires; one that is not is answered at once
 * (turned away, or timed out when it arrived past its deadline), or ignored
 * when it is a copy of a call already served.
 */
export function createControlPlaneMachine() {
  return setup({
    types: {} as { context: ControlPlaneContext; events: ControlPlaneEvent; input: ControlPlaneInput; emitted: Emitted },
  }).createMachine({
    id: 'control-plane',
    // Tolerates a missing input: the fast stepper builds one actor per machine with `{}`.
    context: ({ input }) => ({
      clock: 0,
      threads: Array.from({ length: input?.threads ?? 0 }, () => null),
      latest: {},
      policy: input?.policy ?? { zones: [], degradedAz: '', timeout: { from: 'sent', ticks: 1 }, refuseLate: false, dedup: false, shedding: 'none', releaseOnTimeout: true },
    }),
    initial: 'serving',
    states: {
      serving: {
        on: {
          CALL: {
            actions: enqueueActions(({ context, event, enqueue }) => {
              const decision = admission(context, event);
              if (decision.kind === 'ignore') return;
              if (decision.kind === 'take') {
                const threads = context.threads.slice();
                threads[decision.thread] = { from: event.from, az: event.az, kind: event.kind, id: event.id, sent: event.sent, since: context.clock, answered: false };
                enqueue.assign({ threads: canonicalPool(threads), latest: { ...context.latest, [event.from]: event.id } });
                return;
              }
              if (decision.kind === 'late') enqueue.emit(reply(event.from, { type: 'TIMED_OUT', from: CONTROL_PLANE, id: event.id, late: true }));
              else enqueue.emit(reply(event.from, { type: decision.kind === 'shed' ? 'SHED' : 'REFUSED', from: CONTROL_PLANE, id: event.id, free: decision.free, held: decision.held }));
            }),
          },
          TICK: {
            actions: enqueueActions(({ context, enqueue }) => {
              const { clock, threads, answers } = advance(context);
              enqueue.assign({ clock, threads });
              for (const answer of answers) enqueue.emit(answer);
            }),
          },
        },
      },
    },
  });
}

