/**
 * The decisions that tell the variants of the election apart. Each variant is
 * one set of these; a fixed variant has them all on, and each ablation turns
 * exactly one off.
 */
export interface ElectionDesign {
  /**
   * A replica that suspects a peer never changes the volume's replica set on
   * its own: it blocks I/O and asks the authority. Off: a primary that loses a
   * secondary drops it and carries on alone, acknowledging writes.
   */
  authorityDecidesMembership: boolean;
  /** The authority grants primacy only to a replica of its current replica set that asks in its current epoch. */
  grantOnlyCurrentMember: boolean;
  /** Replicas and the instance take up an announcement only when its epoch is newer than theirs. */
  adoptNewerEpochsOnly: boolean;
  /** A secondary applies a write only when it is newer than the block it holds (writes carry the writer's sequence number). */
  applyNewerWritesOnly: boolean;
  /** Secondaries refuse writes from a primary of another epoch, and tell it so (FENCED). */
  secondariesRefuseStaleEpoch: boolean;
  /**
   * A replica records on disk that it asked for primacy in its epoch, and never
   * again follows that epoch's primary: after a crash it asks again instead.
   * Off (the first attempt at the fix): a restarted replica forgets it asked.
   */
  requestsAreDurable: boolean;
  /** Every control message (REQUEST_PRIMACY, REJOIN, NEW_PRIMARY, REPLICATE, WRITE) is resent on a timer until answered. */
  retries: boolean;
  /**
   * Where the election authority runs: in the regional control plane, which the
   * cut of 8:20 AM separated from the cluster, or as a per-cluster service in
   * the cluster's own Availability Zone, which that cut does not reach.
   */
  authority: 'regional' | 'per-cluster';
}

/** The 2011 design: the authority and blocked I/O are there, the authority is regional. */
export const DESIGN_2011: ElectionDesign = {
  authorityDecidesMembership: true,
  grantOnlyCurrentMember: true,
  adoptNewerEpochsOnly: true,
  applyNewerWritesOnly: true,
  secondariesRefuseStaleEpoch: true,
  requestsAreDurable: true,
  retries: true,
  authority: 'regional',
};

/** The remedy the postmortem promises: the same election, with a per-cluster authority. */
export const DESIGN_FIXED: ElectionDesign = { ...DESIGN_2011, authority: 'per-cluster' };

/** Each variant's design: the fix, the 2011 design, and each with one decision changed. */
export const VARIANT_DESIGNS = {
  /** 2011, with the regional control plane cut off from the cluster (as from 8:20 AM). */
  'stuck-2011': DESIGN_2011,
  /** Counterfactual: the primary does not need the authority's word to change the replica set. */
  buggy: { ...DESIGN_2011, authorityDecidesMembership: false },
  fixed: DESIGN_FIXED,
  'fixed-primary-drops-peer': { ...DESIGN_FIXED, authorityDecidesMembership: false },
  'fixed-grants-any-request': { ...DESIGN_FIXED, grantOnlyCurrentMember: false },
  'fixed-adopts-any-epoch': { ...DESIGN_FIXED, adoptNewerEpochsOnly: false },
  'fixed-applies-stale-duplicates': { ...DESIGN_FIXED, applyNewerWritesOnly: false },
  /** The first attempt at the fix, which the checker broke. */
  'fixed-forgets-its-request': { ...DESIGN_FIXED, requestsAreDurable: false },
  'fixed-without-retries': { ...DESIGN_FIXED, retries: false },
  'fixed-regional-authority': { ...DESIGN_FIXED, authority: 'regional' },
} satisfies Record<string, ElectionDesign>;

export type ElectionVariant = keyof typeof VARIANT_DESIGNS;

/** A design, given itself or by its variant's name. */
export function designOf(design: ElectionDesign | string): ElectionDesign {
  if (typeof design !== 'string') return design;
  const found = (VARIANT_DESIGNS as Record<string, ElectionDesign>)[design];
  if (!found) throw new Error(`replica-election has no variant '${design}'`);
  return found;
}
