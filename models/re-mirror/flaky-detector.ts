import { assign, emit, setup } from 'xstate';
import { send, type Emitted } from './messages.js';

export interface FlakyDetectorContext {
  /** False suspicions left in this behaviour. */
  left: number;
}

/**
 * Not a process of the protocol: a fault injector that makes a serving replica
 * suspect a peer that is up and reachable (a heartbeat that came too late), a
 * bounded number of times. Its verdict travels as a message, so it may reach
 * the node at any moment, also while other messages are in flight.
 */
export function createFlakyDetectorMachine() {
  return setup({
    types: {} as { context: FlakyDetectorContext; events: { type: 'MISLEAD'; node: string; vol: string }; input: { suspicions: number }; emitted: Emitted },
    guards: { suspicionsLeft: ({ context }) => context.left > 0 },
  }).createMachine({
    id: 'flaky-detector',
    context: ({ input }) => ({ left: input.suspicions }),
    initial: 'armed',
    states: {
      armed: {
        on: {
          MISLEAD: {
            guard: 'suspicionsLeft',
            actions: [assign({ left: ({ context }) => context.left - 1 }), emit(({ event }) => send(event.node, { type: 'SUSPECT', vol: event.vol, from: 'fd' }))],
          },
        },
      },
    },
  });
}
