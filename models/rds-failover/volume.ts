import { assign, emit, setup } from 'xstate';
import { VOLUME, type Emitted } from './messages.js';

/**
 * The primary's EBS volume. It stores committed blocks and the replication
 * metadata flag "peer out of date". A stuck volume is modelled as a crash of
 * this process: I/O sent to it is lost and never answered, its data survives,
 * and a restart is the volume being restored.
 */
export interface VolumeContext {
  blocks: number[];
  /** Written by a primary before it commits without its standby. */
  peerOutdated: boolean;
}

export function createVolumeMachine() {
  return setup({
    types: {} as {
      context: VolumeContext;
      events: { type: 'WRITE'; id: number; from: string } | { type: 'MARK_PEER_OUTDATED'; from: string };
      input: { durable?: VolumeContext };
      emitted: Emitted;
    },
  }).createMachine({
    id: 'volume',
    context: ({ input }) => input?.durable ?? { blocks: [], peerOutdated: false },
    initial: 'serving',
    states: {
      serving: {
        on: {
          WRITE: {
            actions: [
              assign({ blocks: ({ context, event }) => (context.blocks.includes(event.id) ? context.blocks : [...context.blocks, event.id]) }),
              emit(({ event }) => ({ type: 'send' as const, to: event.from, msg: { type: 'WRITTEN', id: event.id, from: VOLUME } })),
            ],
          },
          MARK_PEER_OUTDATED: {
            actions: [assign({ peerOutdated: true }), emit(({ event }) => ({ type: 'send' as const, to: event.from, msg: { type: 'MARKED', from: VOLUME } }))],
          },
        },
      },
    },
  });
}
