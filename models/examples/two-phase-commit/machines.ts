import { assign, emit, setup } from 'xstate';

/**
 * Lamport and Gray's two-phase commit (TLA+ module `TwoPhase`), as one xstate
 * machine per process: a transaction manager `tm` and resource managers
 * `rm1..rmN`. The TLA+ variables map onto the world as
 *
 *   rmState[rm]  the state of machine `rm`
 *   tmState      the state of machine `tm`
 *   tmPrepared   `tm`'s context `prepared` (kept sorted, so a set has one encoding)
 *   msgs         the persistent network: a message sent stays and may be received again
 *
 * The spontaneous steps of the spec (RMPrepare, RMChooseToAbort, TMCommit,
 * TMAbort) are requests from the environment; the machines' own transitions
 * guard them, so the world offers them exactly when the spec enables them.
 */
export type TwoPhaseVariant = 'correct' | 'tm-commits-early';

export const TM = 'tm';

type Emitted = { type: 'send'; to: string | string[]; msg: { type: string; from: string } };

/** Every message carries its sender; a Prepared message's sender is the `rm` field of the spec. */
export type TwoPhaseMessage = { type: 'PREPARED'; from: string } | { type: 'COMMIT'; from: string } | { type: 'ABORT'; from: string };

export interface ResourceManagerContext {
  id: string;
}

/**
 * A resource manager. COMMIT and ABORT are handled in every state, as in the
 * spec, where RMRcvCommitMsg and RMRcvAbortMsg have no condition on the RM's
 * own state; the TM never sends both, so this only matters for faithfulness.
 */
export function createResourceManagerMachine() {
  return setup({
    types: {} as {
      context: ResourceManagerContext;
      events: { type: 'PREPARE' } | { type: 'CHOOSE_TO_ABORT' } | TwoPhaseMessage;
      input: { id: string };
      emitted: Emitted;
    },
  }).createMachine({
    id: 'resource-manager',
    // Tolerates a missing input: the stepper builds one actor per machine with `{}`.
    context: ({ input }) => ({ id: input?.id ?? '' }),
    initial: 'working',
    on: {
      COMMIT: { target: '.committed' },
      ABORT: { target: '.aborted' },
    },
    states: {
      working: {
        on: {
          PREPARE: {
            target: 'prepared',
            actions: emit(({ context }) => ({ type: 'send' as const, to: TM, msg: { type: 'PREPARED', from: context.id } })),
          },
          CHOOSE_TO_ABORT: { target: 'aborted' },
        },
      },
      prepared: {},
      committed: {},
      aborted: {},
    },
  });
}

export interface TransactionManagerContext {
  rms: string[];
  /** The RMs whose Prepared message the TM has received, sorted. */
  prepared: string[];
}

/**
 * The transaction manager. It decides once: commit when every RM is prepared
 * (in the buggy variant, as soon as a majority is), or abort at any time
 * before that; the decision goes out as one message to every RM.
 */
export function createTransactionManagerMachine(variant: TwoPhaseVariant) {
  return setup({
    types: {} as {
      context: TransactionManagerContext;
      events: { type: 'COMMIT_DECISION' } | { type: 'ABORT_DECISION' } | TwoPhaseMessage;
      input: { rms: string[] };
      emitted: Emitted;
    },
    guards: {
      mayCommit: ({ context }) =>
        variant === 'correct'
          ? context.prepared.length === context.rms.length
          : // The bug: a quorum is taken for enough, as if commit were an election.
            context.prepared.length * 2 > context.rms.length,
    },
  }).createMachine({
    id: 'transaction-manager',
    context: ({ input }) => ({ rms: input?.rms ?? [], prepared: [] }),
    initial: 'init',
    states: {
      init: {
        on: {
          PREPARED: {
            actions: assign({
              prepared: ({ context, event }) => (context.prepared.includes(event.from) ? context.prepared : [...context.prepared, event.from].sort()),
            }),
          },
          COMMIT_DECISION: {
            guard: 'mayCommit',
            target: 'committed',
            actions: emit(({ context }) => ({ type: 'send' as const, to: context.rms, msg: { type: 'COMMIT', from: TM } })),
          },
          ABORT_DECISION: {
            target: 'aborted',
            actions: emit(({ context }) => ({ type: 'send' as const, to: context.rms, msg: { type: 'ABORT', from: TM } })),
          },
        },
      },
      committed: {},
      aborted: {},
    },
  });
}
