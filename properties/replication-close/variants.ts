import type { SourceRef, VariantKind } from '../../src/index.js';
import type { CloseVariant } from '../../models/replication-close/types.js';
import type { RaceInvariantName } from './invariants.js';

/** A safeguard of the fix: what it is, the ablation that removes it, and the fix's path that only it takes (see `coverage.ts`). */
export interface CloseSafeguard {
  statement: string;
  ablation: CloseVariant;
  /** The fix path this safeguard adds, as `fixPathsTaken` names it. */
  path: FixPath;
}

/** Paths through the fixed node that exist only because of a safeguard. */
export type FixPath =
  | 'close joins the teardown under way'
  | 'copy abandons its chunk'
  | 'open drops the channel it lost'
  | 'joined close answers after the teardown'
  | 'copy waits its turn';

export interface CloseVariantDeclaration {
  kind: VariantKind;
  summary: string;
  passage?: SourceRef;
  remedy?: 'promised' | 'own';
  of?: CloseVariant;
  safeguards?: Record<string, CloseSafeguard>;
  /** The invariants this variant must break; every other invariant must hold. */
  breaks: readonly RaceInvariantName[];
}

const RACE: SourceRef = {
  section: 'Primary Outage',
  quote:
    'There was also a race condition in the code on the EBS nodes that, with a very low probability, caused them to fail when they were concurrently closing a large number of requests for replication.',
};
const FIX: SourceRef = { section: 'Preventing the Event', quote: 'we have identified the source of the race condition that led to EBS node failure. We have a fix' };

/**
 * What `npm run check` lists for this suite. The postmortem names the race
 * and promises a fix but describes neither; the designs below are this
 * project's reconstruction (see `models/replication-close/README.md`).
 */
export const CLOSE_VARIANT_DECLARATIONS: Record<CloseVariant, CloseVariantDeclaration> = {
  buggy: {
    kind: 'as-it-happened',
    summary: 'as in 2011 (the mechanism reconstructed): a second close of a session tears it down again, so the channel is closed twice and the node fails; a copy re-checks nothing after its read',
    passage: RACE,
    breaks: ['node-never-crashes', 'no-write-after-close', 'every-close-answered-once', 'chunks-in-order'],
  },
  fixed: {
    kind: 'fixed',
    remedy: 'promised',
    summary:
      'one teardown per session, joined by later closes that answer once it has finished; one copy at a time, which re-checks its own session after the read; an open drops the channel it lost',
    passage: FIX,
    safeguards: {
      'one-teardown': {
        statement: 'The first close of a session owns its teardown; a close arriving meanwhile waits for that teardown instead of starting its own.',
        ablation: 'fixed-without-one-teardown',
        path: 'close joins the teardown under way',
      },
      'copy-recheck': {
        statement: 'A copy re-checks, after its read returns, that the session it read for has not begun closing, and abandons the chunk if it has.',
        ablation: 'fixed-without-copy-recheck',
        path: 'copy abandons its chunk',
      },
      'answer-after-teardown': {
        statement: 'A close that joins a teardown answers `closed` only once that teardown has finished.',
        ablation: 'fixed-without-answer-after-teardown',
        path: 'joined close answers after the teardown',
      },
      'open-recheck': {
        statement: 'An open re-checks the table after its connect and closes its own channel if another open of the session won meanwhile (kept from the 2011 code as reconstructed here).',
        ablation: 'fixed-without-open-recheck',
        path: 'open drops the channel it lost',
      },
      'one-copy-at-a-time': {
        statement: 'A copy that finds another copy of its session under way answers `busy` instead of reading the same chunk again. Found by the checker: its ablation is this project\'s first fix, kept as the failed fix `fixed-concurrent-copies`.',
        ablation: 'fixed-concurrent-copies',
        path: 'copy waits its turn',
      },
    },
    breaks: [],
  },
  'fixed-without-one-teardown': {
    kind: 'ablation',
    of: 'fixed',
    summary: 'the fix, but every close tears its session down itself, as in 2011',
    breaks: ['node-never-crashes', 'every-close-answered-once'],
  },
  'fixed-without-copy-recheck': {
    kind: 'ablation',
    of: 'fixed',
    summary: 'the fix, but a copy writes its chunk without re-checking its session after the read',
    breaks: ['no-write-after-close'],
  },
  'fixed-without-answer-after-teardown': {
    kind: 'ablation',
    of: 'fixed',
    summary: 'the fix, but a close that finds its session already closing answers `closed` at once',
    breaks: ['closed-only-after-teardown'],
  },
  'fixed-without-open-recheck': {
    kind: 'ablation',
    of: 'fixed',
    summary: 'the fix, but an open registers its channel without re-checking the table after its connect',
    breaks: ['no-duplicate-channel', 'no-leaked-channel', 'closed-only-after-teardown'],
  },
  'fixed-copy-recheck-by-id': {
    kind: 'failed-fix',
    of: 'fixed',
    summary: 'a weakened fix: after its read a copy looks the session up again by id, which a session closed and reopened meanwhile passes, so the chunk goes to the old, closed channel',
    breaks: ['no-write-after-close'],
  },
  'fixed-close-recheck-by-id': {
    kind: 'failed-fix',
    of: 'fixed',
    summary: 'a weakened fix: instead of one teardown, every close re-checks by id after the release returns, which a session closed and reopened meanwhile passes, so the old channel is closed twice',
    breaks: ['node-never-crashes', 'every-close-answered-once'],
  },
  'fixed-concurrent-copies': {
    kind: 'failed-fix',
    of: 'fixed',
    summary:
      "this project's first fix, which the checker broke: two copies of one session both read the chunk at the same offset, so the peer gets it twice and never gets the next",
    breaks: ['chunks-in-order'],
  },
};

export const expectedVerdict = (variant: CloseVariant, invariant: RaceInvariantName): 'holds' | 'violated' =>
  CLOSE_VARIANT_DECLARATIONS[variant].breaks.includes(invariant) ? 'violated' : 'holds';
