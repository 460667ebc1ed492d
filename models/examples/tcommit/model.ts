import { setup } from 'xstate';
import { always, defineModel, type WorldSpec, type WorldView } from '../../../src/index.js';

/*
 * Lamport and Gray's TCommit (tlaplus/Examples, specifications/transaction_commit/TCommit.tla):
 * the abstract transaction commit, with one variable rmState and no messages.
 *
 *   rmState[rm]   the state of machine `rm` (working, prepared, committed, aborted)
 *   Prepare(rm)   internal step PREPARE, taken only in `working`
 *   Decide(rm)    commit: internal step DECIDE_COMMIT, taken in `prepared`, `when` canCommit holds;
 *                 abort:  internal step DECIDE_ABORT, taken in `working` or `prepared`, `when` notCommitted holds
 *
 * Every action is an RM's own move, so each is an internal step; Decide reads
 * the state of every other RM through `when`. The spec states no fairness
 * (Spec == Init /\ [][Next]_rmState), so none is declared.
 */

export interface TCommitConfig {
  /** The constant RM: how many resource managers. */
  rms: number;
}

export const rmNames = (n: number) => Array.from({ length: n }, (_, i) => `r${i + 1}`);

const rmsOf = (w: WorldView) => w.processNames;
/** canCommit == \A rm \in RM : rmState[rm] \in {"prepared", "committed"} */
const canCommit = (w: WorldView) => rmsOf(w).every((rm) => w.process(rm).is('prepared') || w.process(rm).is('committed'));
/** notCommitted == \A rm \in RM : rmState[rm] # "committed" */
const notCommitted = (w: WorldView) => rmsOf(w).every((rm) => !w.process(rm).is('committed'));

export function createResourceManager() {
  return setup({
    types: {} as { events: { type: 'PREPARE' } | { type: 'DECIDE_COMMIT' } | { type: 'DECIDE_ABORT' } },
  }).createMachine({
    id: 'tcommit-rm',
    initial: 'working',
    states: {
      working: { on: { PREPARE: 'prepared', DECIDE_ABORT: 'aborted' } },
      prepared: { on: { DECIDE_COMMIT: 'committed', DECIDE_ABORT: 'aborted' } },
      committed: {},
      aborted: {},
    },
  });
}

export function buildTCommitWorld(config: TCommitConfig): WorldSpec {
  const machine = createResourceManager();
  const rms = rmNames(config.rms);
  return {
    processes: Object.fromEntries(
      rms.map((rm) => [
        rm,
        {
          machine,
          role: 'server' as const,
          internal: [
            { event: { type: 'PREPARE' }, name: 'prepares', fairness: 'none' as const },
            { event: { type: 'DECIDE_COMMIT' }, name: 'decides to commit', when: canCommit, fairness: 'none' as const },
            { event: { type: 'DECIDE_ABORT' }, name: 'decides to abort', when: notCommitted, fairness: 'none' as const },
          ],
        },
      ]),
    ),
    // No messages at all: the network stays empty.
    network: 'bag',
    delivery: 'error',
    budgets: {},
  };
}

export const tcConsistent = always({
  name: 'tc-consistent',
  statement: 'TCConsistent: no resource manager has aborted while another has committed.',
  check(w) {
    const aborted = rmsOf(w).filter((rm) => w.process(rm).is('aborted'));
    const committed = rmsOf(w).filter((rm) => w.process(rm).is('committed'));
    return aborted.length > 0 && committed.length > 0
      ? { message: `${committed[0]} committed while ${aborted[0]} aborted`, processes: [committed[0]!, aborted[0]!] }
      : undefined;
  },
});

export const tcommit = defineModel<TCommitConfig>({
  name: 'tcommit',
  summary: 'TCommit from the TLA+ examples: resource managers decide to commit or abort, reading one another\'s state directly.',
  configs: { rm3: { rms: 3 } },
  variants: { spec: { summary: 'TCommit.tla as published, with TCommit.cfg (RM = {r1, r2, r3}).', expect: { 'tc-consistent': 'holds' } } },
  properties: [tcConsistent],
  build: (_variant, config) => buildTCommitWorld(config),
});
