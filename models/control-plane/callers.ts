import { assign, enqueueActions, setup } from 'xstate';
import { CONTROL_PLANE, type AnswerMsg, type CallMsg, type Emitted } from './messages.js';

export interface AzClientContext {
  az: string;
  /** The number the next create-volume request will carry. */
  next: number;
  /** Requests sent and not yet answered. */
  outstanding: number[];
  /** Callers in this AZ: each waits for its answer before calling again, so at most this many are outstanding. */
  callers: number;
  /** The AZ's callers send at most one request per tick: the arrival rate. */
  sentThisTick: boolean;
}

/**
 * The customers of one Availability Zone calling the EBS API. A `CALL_API`
 * stimulus is one create-volume request from a caller who is not already
 * waiting; at most one request goes out per tick (the AZ's arrival rate).
 */
export function createAzClientMachine() {
  return setup({
    types: {} as {
      context: AzClientContext;
      events: { type: 'CALL_API' } | { type: 'TICK' } | AnswerMsg;
      input: { az: string; callers: number };
      emitted: Emitted;
    },
    guards: {
      mayCall: ({ context }) => !context.sentThisTick && context.outstanding.length < context.callers,
      calledThisTick: ({ context }) => context.sentThisTick,
      awaited: ({ context, event }) => event.type === 'ANSWER' && context.outstanding.includes(event.id),
    },
  }).createMachine({
    id: 'az-client',
    context: ({ input }) => ({ az: input?.az ?? '', next: 1, outstanding: [], callers: input?.callers ?? 1, sentThisTick: false }),
    initial: 'calling',
    states: {
      calling: {
        on: {
          CALL_API: {
            guard: 'mayCall',
            actions: [
              enqueueActions(({ context, enqueue }) => {
                const msg: CallMsg = { type: 'CALL', from: context.az, az: context.az, kind: 'create-volume', id: context.next };
                enqueue.emit({ type: 'send', to: CONTROL_PLANE, msg });
              }),
              assign(({ context }) => ({ next: context.next + 1, outstanding: [...context.outstanding, context.next], sentThisTick: true })),
            ],
          },
          ANSWER: { guard: 'awaited', actions: assign(({ context, event }) => ({ outstanding: context.outstanding.filter((id) => id !== event.id) })) },
          TICK: { guard: 'calledThisTick', actions: assign({ sentThisTick: false }) },
        },
      },
    },
  });
}

/**
 * A volume of the degraded cluster: not yet stuck, negotiating with the control
 * plane, waiting for the throttle, or backing off until the next tick after a refusal.
 */
export type VolumeState = 'serving' | 'negotiating' | 'waiting' | 'backing-off';

export interface NegotiationPolicy {
  /** Most negotiations the cluster keeps in flight at once: all its volumes in 2011, the negotiation throttle in the fix. */
  maxInFlight: number;
  /** Fixed: a negotiation the control plane refused is retried only after the next tick, not at once. */
  backOff: boolean;
}

export interface ClusterContext {
  az: string;
  volumes: VolumeState[];
  /** Negotiations started per volume, saturating at 2: enough to tell "retried". */
  attempts: number[];
  policy: NegotiationPolicy;
}

/**
 * The degraded EBS cluster. A `VOLUME_STUCK` stimulus is one more volume losing
 * its replica (more nodes failing in the race); each stuck volume must negotiate
 * with the control plane before it can re-mirror. The cluster has no free space,
 * so every re-mirror fails and the volume negotiates again, as soon as the
 * throttle lets it. A refused negotiation is retried at once in 2011, after the
 * next tick in the fix.
 */
export function createDegradedClusterMachine() {
  return setup({
    types: {} as {
      context: ClusterContext;
      events: { type: 'VOLUME_STUCK' } | { type: 'TICK' } | AnswerMsg;
      input: { az: string; volumes: number; policy: NegotiationPolicy };
      emitted: Emitted;
    },
    guards: {
      volumeLeft: ({ context }) => context.volumes.includes('serving'),
      negotiating: ({ context, event }) => event.type === 'ANSWER' && context.volumes[event.id - 1] === 'negotiating',
      backingOff: ({ context }) => context.volumes.includes('backing-off'),
    },
  }).createMachine({
    id: 'degraded-cluster',
    context: ({ input }) => ({
      az: input?.az ?? '',
      volumes: Array.from({ length: input?.volumes ?? 0 }, () => 'serving' as const),
      attempts: Array.from({ length: input?.volumes ?? 0 }, () => 0),
      policy: input?.policy ?? { maxInFlight: 0, backOff: false },
    }),
    initial: 'storm',
    states: {
      storm: {
        on: {
          VOLUME_STUCK: {
            guard: 'volumeLeft',
            actions: enqueueActions(({ context, enqueue }) => {
              const volumes = context.volumes.slice();
              volumes[volumes.indexOf('serving')] = 'waiting';
              negotiate(enqueue, { ...context, volumes });
            }),
          },
          ANSWER: {
            guard: 'negotiating',
            // Done or refused, the re-mirror still finds no free space: the volume must negotiate again.
            actions: enqueueActions(({ context, event, enqueue }) => {
              const volumes = context.volumes.slice();
              volumes[event.id - 1] = event.outcome === 'refused' && context.policy.backOff ? 'backing-off' : 'waiting';
              negotiate(enqueue, { ...context, volumes });
            }),
          },
          TICK: {
            guard: 'backingOff',
            actions: enqueueActions(({ context, enqueue }) => {
              const volumes = context.volumes.map((v) => (v === 'backing-off' ? 'waiting' : v));
              negotiate(enqueue, { ...context, volumes });
            }),
          },
        },
      },
    },
  });
}

type Enqueue = {
  assign: (values: Partial<ClusterContext>) => void;
  emit: (event: Emitted) => void;
};

/** Starts a negotiation for waiting volumes, lowest first, while the throttle allows, and records the result. */
function negotiate(enqueue: Enqueue, context: ClusterContext): void {
  const volumes = context.volumes.slice();
  const attempts = context.attempts.slice();
  let inFlight = volumes.filter((v) => v === 'negotiating').length;
  volumes.forEach((state, i) => {
    if (state !== 'waiting' || inFlight >= context.policy.maxInFlight) return;
    volumes[i] = 'negotiating';
    attempts[i] = Math.min(attempts[i]! + 1, 2);
    inFlight++;
    const msg: CallMsg = { type: 'CALL', from: `ebs-${context.az}`, az: context.az, kind: 'negotiate', id: i + 1 };
    enqueue.emit({ type: 'send', to: CONTROL_PLANE, msg });
  });
  enqueue.assign({ volumes, attempts });
}
