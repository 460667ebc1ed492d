/**
 * What distinguishes the variants. Each buggy variant is the fixed logic with
 * one flaw switched on, except `storm`, which is the whole 2011 retry logic;
 * so a violation points at exactly the decision that causes it.
 */
export type RemirrorVariant = 'release-before-confirm' | 'reuse-failed-nodes' | 'storm' | 'fixed';

export interface RemirrorPolicy {
  /** A replaced replica frees its copy as soon as it hears it is replaced, not when the new node has confirmed ownership. */
  releaseWhenReplaced: boolean;
  /** The control plane reclaims a failed node's capacity (erasing its disk) once any one re-mirror away from it completes. */
  reclaimEarly: boolean;
  /** After "no space", wait for the next tick instead of asking again at once. */
  backOff: boolean;
  /** While waiting, and after a restart, try to re-establish the previous replica pair before searching for new nodes. */
  reconnectFirst: boolean;
  /** Provision the configuration's extra safety slots. */
  capacityBuffer: boolean;
}

const FIXED: RemirrorPolicy = { releaseWhenReplaced: false, reclaimEarly: false, backOff: true, reconnectFirst: true, capacityBuffer: true };

export const policies: Record<RemirrorVariant, RemirrorPolicy> = {
  'release-before-confirm': { ...FIXED, releaseWhenReplaced: true },
  'reuse-failed-nodes': { ...FIXED, reclaimEarly: true },
  storm: { ...FIXED, backOff: false, reconnectFirst: false, capacityBuffer: false },
  fixed: FIXED,
};

export const variantSummaries: Record<RemirrorVariant, string> = {
  'release-before-confirm':
    'A replaced replica frees its copy as soon as the control plane says it is being replaced, before the new node has confirmed ownership; otherwise as fixed.',
  'reuse-failed-nodes':
    "The control plane reclaims a failed node's capacity, erasing its disk, as soon as one re-mirror away from it completes, though it may still hold the only other copy of another volume; otherwise as fixed.",
  storm:
    'As in 2011: a node that finds no free space asks again at once, and after the network heals it keeps searching for new nodes instead of reconnecting to its previous replica; no spare capacity.',
  fixed:
    'Copies are held until the new owner confirms, failed nodes are kept until every replica they held is re-mirrored, a buffer of spare slots, back-off to the next tick, and reconnection to the previous replica first.',
};
