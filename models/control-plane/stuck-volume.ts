import { assign, enqueueActions, setup } from 'xstate';
import { CONTROL_PLANE, type AnswerMsg, type CallMsg, type Emitted } from './messages.js';

export interface NegotiationPolicy {
  /** Fixed: after an answer the volume waits for the next tick before it negotiates again; 2011: at once. */
  backOff: boolean;
}

export interface VolumeContext {
  name: string;
  az: string;
  clock: number;
  /** The number of the negotiation in progress (one per failed re-mirror). */
  negotiation: number;
  sentAt: number;
  /** Negotiations this volume sent during the current tick, saturating at 2: enough to tell "more than one". */
  sentThisTick: number;
  policy: NegotiationPolicy;
}

type VolumeEvent = { type: 'TICK' } | AnswerMsg;

/**
 * One stuck volume of the degraded cluster: it lost its replica, so it must
 * negotiate with the control plane before it can re-mirror. The cluster has no
 * free space, so every re-mirror fails and the volume negotiates again; a
 * refused negotiation is tried again. In 2011 both happen at once; in the fix
 * the volume waits for the next tick, counting ticks on its own.
 *
 * A volume has no timer of its own: a lost negotiation leaves that volume
 * waiting (it stops loading the control plane), and a resend timer multiplied
 * the brownout's states past what the default check can afford.
 */
export function createStuckVolumeMachine() {
  return setup({
    types: {} as { context: VolumeContext; events: VolumeEvent; input: { name: string; az: string; policy: NegotiationPolicy }; emitted: Emitted },
    guards: {
          mineBackingOff: ({ context, event }) => 'id' in event && event.id === context.negotiation && context.policy.backOff,
      mineAtOnce: ({ context, event }) => 'id' in event && event.id === context.negotiation && !context.policy.backOff,
    },
    actions: {
      send: enqueueActions(({ context, enqueue }) => {
        const msg: CallMsg = { type: 'CALL', from: context.name, az: context.az, kind: 'negotiate', id: context.negotiation, sent: context.sentAt };
        enqueue.emit({ type: 'send', to: CONTROL_PLANE, msg });
        enqueue.assign({ sentThisTick: Math.min(context.sentThisTick + 1, 2) });
      }),
      startNext: assign(({ context }) => ({ negotiation: context.negotiation + 1, sentAt: context.clock })),
      restamp: assign(({ context }) => ({ sentAt: context.clock })),
    },
  }).createMachine({
    id: 'stuck-volume',
    context: ({ input }) => ({
      name: input?.name ?? '',
      az: input?.az ?? '',
      clock: 0,
      negotiation: 1,
      sentAt: 0,
      sentThisTick: 0,
      policy: input?.policy ?? { backOff: false },
    }),
    // At 5:30 AM the volumes are already stuck: each starts by negotiating.
    initial: 'starting',
    on: { TICK: { actions: assign(({ context }) => ({ clock: context.clock + 1, sentThisTick: 0 })) } },
    states: {
      starting: { always: { target: 'negotiating', actions: ['restamp', 'send'] } },
      negotiating: {
        on: {
          // Served: the re-mirror it allowed still finds no free space, so a new negotiation follows.
          // Served: the re-mirror fails for want of space. In 2011 the volume negotiates again at once;
          // in the fix it retries the re-mirror at the next tick.
          DONE: [{ guard: 'mineBackingOff', target: 're-mirroring', actions: 'startNext' }, { guard: 'mineAtOnce', actions: ['startNext', 'send'] }],
          // Turned away or given up: the same negotiation is tried again.
          REFUSED: [{ guard: 'mineBackingOff', target: 'backing-off', actions: 'restamp' }, { guard: 'mineAtOnce', actions: ['restamp', 'send'] }],
          SHED: [{ guard: 'mineBackingOff', target: 'backing-off', actions: 'restamp' }, { guard: 'mineAtOnce', actions: ['restamp', 'send'] }],
          TIMED_OUT: [{ guard: 'mineBackingOff', target: 'backing-off', actions: 'restamp' }, { guard: 'mineAtOnce', actions: ['restamp', 'send'] }],
        },
      },
      're-mirroring': {
        on: { TICK: { target: 'negotiating', actions: [assign(({ context }) => ({ clock: context.clock + 1, sentThisTick: 0 })), 'restamp', 'send'] } },
      },
      'backing-off': {
        on: { TICK: { target: 'negotiating', actions: [assign(({ context }) => ({ clock: context.clock + 1, sentThisTick: 0 })), 'restamp', 'send'] } },
      },
    },
  });
}
