import { always, defineModel, sometimes, type WorldView } from '../src/index.js';
import type { LocalFacts } from '../src/spec/property.js';
import type { TwoPhaseVariant } from '../models/examples/two-phase-commit/machines.js';
import { buildTwoPhaseWorld, twoPhaseConfigs, twoPhaseVariants, type TwoPhaseConfig } from '../models/examples/two-phase-commit/world.js';

/*
 * Two-phase commit is not part of the 2011 outage: it is here as a protocol
 * with published state counts (TLC and Stateright), against which the engine's
 * exploration is checked, and as an example of a model outside the postmortem.
 * The properties are those of the TLA+ module TCommit and of Stateright's 2pc.
 */

const isResourceManager = (name: string) => /^rm\d+$/.test(name);
const resourceManagers = (w: WorldView) => w.processNames.filter(isResourceManager);
const inState = (w: WorldView, state: string) => resourceManagers(w).filter((rm) => w.process(rm).is(state));

/** The properties read only the RMs' own states: the explorer may judge them from per-state tables (`localFacts`). */
const rmFacts = (finds: LocalFacts['finds']): LocalFacts => ({
  processes: (names) => names.filter(isResourceManager),
  facts: { committed: (rm) => rm.is('committed'), aborted: (rm) => rm.is('aborted') },
  finds,
});

export const consistent = always({
  name: 'tc-consistent',
  statement: 'No resource manager has committed while another has aborted: the transaction ends the same way everywhere.',
  localFacts: rmFacts(({ committed, aborted }) => committed! > 0 && aborted! > 0),
  check(w) {
    const committed = inState(w, 'committed');
    const aborted = inState(w, 'aborted');
    if (committed.length === 0 || aborted.length === 0) return undefined;
    return {
      message: `${committed.join(', ')} committed the transaction while ${aborted.join(', ')} aborted it`,
      processes: [committed[0]!, aborted[0]!],
    };
  },
  explain(w) {
    const committed = inState(w, 'committed');
    const aborted = inState(w, 'aborted');
    if (committed.length === 0 || aborted.length === 0) return undefined;
    return {
      facts: [
        { says: `${committed[0]} committed`, holds: (x) => x.process(committed[0]!).is('committed') },
        { says: `${aborted[0]} aborted`, holds: (x) => x.process(aborted[0]!).is('aborted') },
      ],
      so: 'one transaction ended both ways',
    };
  },
});

export const commitReached = sometimes({
  name: 'commit-happens',
  statement: 'Some behaviour ends with every resource manager committed.',
  localFacts: rmFacts(({ committed }, rms) => committed === rms),
  reached: (w) => inState(w, 'committed').length === resourceManagers(w).length,
});

export const abortReached = sometimes({
  name: 'abort-happens',
  statement: 'Some behaviour ends with every resource manager aborted.',
  localFacts: rmFacts(({ aborted }, rms) => aborted === rms),
  reached: (w) => inState(w, 'aborted').length === resourceManagers(w).length,
});

export const twoPhaseCommit = defineModel<TwoPhaseConfig>({
  name: 'two-phase-commit',
  summary:
    'A transaction manager and N resource managers agreeing to commit or abort, after the TLA+ TwoPhase spec; an example protocol outside the outage, with published state counts.',
  // rm10 (61,515,776 states) is past the 2^24 states a JavaScript Map holds: the fingerprint store's reviewer-size run.
  configs: { ...twoPhaseConfigs, rm10: { rms: 10 } },
  variants: {
    correct: { summary: twoPhaseVariants.correct, expect: { 'tc-consistent': 'holds', 'commit-happens': 'holds', 'abort-happens': 'holds' } },
    'tm-commits-early': {
      summary: twoPhaseVariants['tm-commits-early'],
      expect: { 'tc-consistent': 'violated', 'commit-happens': 'holds', 'abort-happens': 'holds' },
    },
  },
  story: { replaces: { tmPrepared: ['tm.prepared'] } },
  properties: [consistent, commitReached, abortReached],
  build: (variant, config) => buildTwoPhaseWorld(variant as TwoPhaseVariant, config),
});
