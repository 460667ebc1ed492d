import type { WorldSpec } from '../../../src/index.js';
import { createResourceManagerMachine, createTransactionManagerMachine, TM, type TransactionManagerContext, type TwoPhaseVariant } from './machines.js';

export interface TwoPhaseConfig {
  /** How many resource managers take part: the constant RM of the spec. */
  rms: number;
}

/**
 * One configuration per size; rm3 (the first) is the default, rm7 and rm8 are
 * the published benchmarks. None below three: with one or two RMs a majority is
 * all of them, so the buggy variant could not go wrong.
 */
export const twoPhaseConfigs = {
  rm3: { rms: 3 },
  rm4: { rms: 4 },
  rm5: { rms: 5 },
  rm6: { rms: 6 },
  rm7: { rms: 7 },
  rm8: { rms: 8 },
} satisfies Record<string, TwoPhaseConfig>;

export const twoPhaseVariants = {
  correct: 'Two-phase commit as specified: the transaction manager commits only once every resource manager has told it that it is prepared.',
  'tm-commits-early':
    'The transaction manager commits as soon as a majority of resource managers are prepared, so a resource manager still working may choose to abort.',
} satisfies Record<TwoPhaseVariant, string>;

export const resourceManagerNames = (count: number): string[] => Array.from({ length: count }, (_, i) => `rm${i + 1}`);

export function buildTwoPhaseWorld(variant: TwoPhaseVariant, config: TwoPhaseConfig): WorldSpec {
  const rms = resourceManagerNames(config.rms);
  const rmMachine = createResourceManagerMachine();
  const processes: WorldSpec['processes'] = {
    [TM]: {
      machine: createTransactionManagerMachine(variant),
      // Sorted as strings (rm10 before rm2): with symmetry on, a list of RM names is a set and must stay sorted.
      input: { rms: [...rms].sort() },
      role: 'authority',
      // TMCommit and TMAbort: the TM's machine decides when they are enabled.
      requests: [{ type: 'COMMIT_DECISION' }, { type: 'ABORT_DECISION' }],
    },
  };
  for (const id of rms) {
    // RMPrepare and RMChooseToAbort: possible only while the RM is working.
    processes[id] = { machine: rmMachine, input: { id }, role: 'server', requests: [{ type: 'PREPARE' }, { type: 'CHOOSE_TO_ABORT' }] };
  }
  return {
    processes,
    // The spec's msgs: a set of every message ever sent, each receivable again.
    network: 'persistent',
    // Every message stays and waits until a receiver can take it, as in the TLA+ message set.
    delivery: 'wait',
    // No faults: the spec models none (a lost message is just a message never
    // received). No request budget: the spontaneous steps are unbounded, as in TLA+.
    budgets: { drop: 0, partition: 0, crash: 0, tick: 0 },
    // The RMs are interchangeable: same machine, same requests; the TM keeps its set of prepared RMs sorted.
    symmetry: [rms],
    view: {
      tmPrepared: (w) => (w.process(TM).context as TransactionManagerContext).prepared,
    },
  };
}
