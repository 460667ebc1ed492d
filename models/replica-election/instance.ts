import { assign, emit, setup } from 'xstate';
import { DESIGN_FIXED, designOf, type ElectionDesign } from './design.js';
import { AUTHORITY, INSTANCE, type Announcement, type Send } from './names.js';

export interface InstanceContext {
  /** The replica the instance sends its I/O to, and the epoch the authority named it in. */
  primary: string;
  epoch: number;
  /** The write in progress, or the next one. */
  next: number;
  /** How many writes the instance makes in all. */
  writes: number;
  /** The newest write the volume acknowledged (writes go one at a time, so every earlier one was too); 0 for none. */
  acked: number;
}

type InstanceEvent =
  | { type: 'WRITE' }
  | { type: 'ACK'; id: number; epoch: number; from: string }
  | Announcement
  | { type: 'RETRY' };

const send = (to: string, msg: Send['msg']): Send => ({ type: 'send', to, msg });

/** The EC2 instance: writes one block at a time to the replica the authority named primary, resending until acknowledged. */
export function createInstanceMachine(variant: ElectionDesign | string = DESIGN_FIXED) {
  const design = designOf(variant);
  return setup({
    types: {} as { context: InstanceContext; events: InstanceEvent; input: { replicas: string[]; writes: number }; emitted: Send },
    guards: {
      ackOfPending: ({ context, event }) => event.type === 'ACK' && event.id === context.next,
      newer: ({ context, event }) => event.type === 'NEW_PRIMARY' && (event.epoch > context.epoch || (!design.adoptNewerEpochsOnly && event.epoch !== context.epoch)),
      current: ({ context, event }) => event.type === 'NEW_PRIMARY' && event.epoch === context.epoch,
      retries: () => design.retries,
      moreToWrite: ({ context }) => context.next <= context.writes,
    },
    actions: {
      follow: assign(({ event }) => ({ primary: (event as Announcement).primary, epoch: (event as Announcement).epoch })),
      ask: emit(() => send(AUTHORITY, { type: 'ASK', from: INSTANCE })),
      sendWrite: emit(({ context }) => send(context.primary, { type: 'WRITE', id: context.next, from: INSTANCE })),
    },
  }).createMachine({
    id: 'instance',
    context: ({ input }) => ({ primary: input.replicas[0]!, epoch: 1, writes: input.writes, next: 1, acked: 0 }),
    initial: 'idle',
    states: {
      idle: {
        on: {
          // The application issues its next write when it likes (a timer, so it is owed: the instance keeps writing).
          WRITE: { guard: 'moreToWrite', target: 'writing', actions: 'sendWrite' },
          NEW_PRIMARY: { guard: 'newer', actions: 'follow' },
        },
      },
      writing: {
        on: {
          ACK: { guard: 'ackOfPending', target: 'idle', actions: assign({ acked: ({ context }) => context.next, next: ({ context }) => context.next + 1 }) },
          // No acknowledgement yet: ask the authority who is primary, and write there again.
          RETRY: { guard: 'retries', actions: 'ask' },
          NEW_PRIMARY: [{ guard: 'newer', actions: ['follow', 'sendWrite'] }, { guard: 'current', actions: 'sendWrite' }],
        },
      },
    },
  });
}
