/**
 * The decisions that tell the variants apart, one field each, so a variant is
 * a named set of decisions and an ablation changes exactly one of them.
 */
export interface FailoverDesign {
  /** The primary, cut off from its standby, marks it out of date on its volume and then commits alone (2011). */
  primaryGoesAlone: boolean;
  /**
   * What the agent does once it suspects the primary:
   * - `fence-then-wait`: fences the primary and fails over only on its report that the standby is current; with no report it keeps asking (2011);
   * - `fence-then-fail-over`: the same, but when no report comes in time it fails over anyway;
   * - `promote-at-once`: promotes the standby without asking anyone.
   */
  agentPolicy: 'fence-then-wait' | 'fence-then-fail-over' | 'promote-at-once';
  /**
   * Environment, not design: the 2011 variants get an accurate failure detector (the agent suspects the
   * primary only once its volume is stuck), the weakest adversary, so the failure they show is not an
   * artefact of a false suspicion; every other variant gets one that may suspect a live primary at any moment.
   */
  accurateDetector: boolean;
  /** The agent resends PROMOTE until the standby acknowledges it. */
  promoteRetried: boolean;
  /** A promoted standby refuses replication from an older epoch. */
  refusesStaleEpoch: boolean;
  /** The agent writes its epoch and decision to durable storage before acting on them. */
  agentDurable: boolean;
  /** The primary counts a replication acknowledgement only for the commit it is waiting on. */
  acksMatchCommitId: boolean;
}

const fix: FailoverDesign = {
  primaryGoesAlone: false,
  agentPolicy: 'fence-then-fail-over',
  accurateDetector: false,
  promoteRetried: true,
  refusesStaleEpoch: true,
  agentDurable: true,
  acksMatchCommitId: true,
};

const as2011: FailoverDesign = { ...fix, primaryGoesAlone: true, agentPolicy: 'fence-then-wait', accurateDetector: true };

export const designs = {
  buggy: as2011,
  'naive-failover': { ...as2011, agentPolicy: 'promote-at-once' },
  fixed: fix,
  // The earlier fix this model shipped: a blind failover with PROMOTE sent once.
  'first-fix': { ...fix, agentPolicy: 'promote-at-once', promoteRetried: false },
  'fixed-without-sync-only': { ...fix, primaryGoesAlone: true },
  'fixed-without-fail-over-in-doubt': { ...fix, agentPolicy: 'fence-then-wait' },
  'fixed-without-promote-retry': { ...fix, promoteRetried: false },
  'fixed-without-epoch-refusal': { ...fix, refusesStaleEpoch: false },
  'fixed-without-durable-agent': { ...fix, agentDurable: false },
  'fixed-without-commit-id-match': { ...fix, acksMatchCommitId: false },
} satisfies Record<string, FailoverDesign>;

export type FailoverVariant = keyof typeof designs;
