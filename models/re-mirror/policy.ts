/**
 * What distinguishes the variants: each is the fixed design with some decisions
 * switched off, so a violation points at exactly the decisions that cause it.
 */
export interface RemirrorPolicy {
  // ---- safeguards the postmortem credits to the 2011 design ----------------
  /** A replaced replica keeps its copy until the control plane relays the new owner's confirmation. */
  holdUntilConfirmed: boolean;
  /** A failed node's capacity is reclaimed only once no volume lists it any more. */
  keepFailedNodes: boolean;
  // ---- the three protections the postmortem promises ----------------------
  /** Provision the configuration's extra safety slots. */
  capacityBuffer: boolean;
  /** After "no space", stop searching; probe the previous replica and rejoin it, or wait for the control plane to offer space. */
  backoffReconnect: boolean;
  /** The replication-close race is fixed: the configuration's race crashes do not happen. */
  raceFix: boolean;
  // ---- the project's own decisions that make the fix hold -----------------
  /** RELEASE, PAIRED and COPY are obeyed only when their epoch says they are not older than the copy a node holds. */
  fenceRelease: boolean;
  /** REPLACED carries its grant's epoch and is obeyed only by a copy older than that grant (a stale one cannot strand a replica paired since). */
  fenceReplaced: boolean;
  /**
   * A PAIRED of the epoch a replica already holds pairs only a copy waiting to be paired: a repeat (answering a
   * resent OWNED) cannot take a replica that has since lost its peer from asking back to serving.
   */
  fenceRepeatPairing: boolean;
  /** REPLICATE carries the sender's pairing epoch and the peer takes the write only in the same pairing: a write sent before a re-pairing cannot be acknowledged after it. */
  fenceReplicate: boolean;
  /** A WIPE carries its reclaim number; a node erases its disk once per reclaim, so a resent WIPE is harmless. */
  fenceWipe: boolean;
  /** A backing-off replica asks again on its retry timer until the control plane answers (the first fix asked once more, and a lost answer stalled it). */
  backoffAsksUntilAnswered: boolean;
  /** A backing-off replica probes its previous peer on its probe timer until the peer answers (the fix before asked once per back-off, and a lost PING stalled it). */
  probeUntilAnswered: boolean;
  /** A grant keeps the volume's other waiting replicas in the books, so that when its source cancels it, they are offered space again. */
  requeueOnCancel: boolean;
  /** A RECONNECT from the source of a pending grant gets the grant again instead of a rejoin (the replaced peer may miss a rejoin's news). */
  grantOverRejoin: boolean;
  /**
   * A GRANT newer than the pairing a serving replica holds is carried out, not cancelled: it was decided after that
   * pairing (the replica, told it was replaced, asked again and was answered with a grant while a delayed PAIRED of
   * the older pairing set it serving), and the replica it replaces was told so.
   */
  grantOverOlderPairing: boolean;
  /**
   * When a search finds no space, the control plane asks the replica being replaced whether it still holds its
   * copy; a node that restarted with its disk lost answers that it holds none, and the control plane may then
   * place the volume's new copy on it (its slot is free). Off, such a node stays listed and unusable for ever.
   */
  askReplacedReplica: boolean;
  /** A node is reclaimed only when no volume and no pending grant names it. */
  reclaimChecksGrants: boolean;
  /** Ownership is recorded only on the new node's OWNED; a new copy serves only once the control plane pairs it. */
  confirmByOwned: boolean;
  /**
   * A read is answered only through the pair, as a write is acknowledged: the replica that takes it asks its peer,
   * which answers only while it is still paired with that replica. Off, a serving replica answers alone, and one
   * that was replaced while cut off (it cannot know) serves its stale copy after the heal.
   */
  readsConfirmedByPeer: boolean;
}

export const FIXED: RemirrorPolicy = {
  holdUntilConfirmed: true,
  keepFailedNodes: true,
  capacityBuffer: true,
  backoffReconnect: true,
  raceFix: true,
  fenceRelease: true,
  fenceReplaced: true,
  fenceRepeatPairing: true,
  fenceReplicate: true,
  fenceWipe: true,
  requeueOnCancel: true,
  backoffAsksUntilAnswered: true,
  probeUntilAnswered: true,
  grantOverRejoin: true,
  grantOverOlderPairing: true,
  askReplacedReplica: true,
  reclaimChecksGrants: true,
  confirmByOwned: true,
  readsConfirmedByPeer: true,
};

/** The three protections of the storm matrix, by the names the model declares. */
export const PROTECTIONS = { 'capacity-buffer': 'capacityBuffer', 'backoff-reconnect': 'backoffReconnect', 'race-fix': 'raceFix' } as const;
export type Protection = keyof typeof PROTECTIONS;

/** The fixed design with only the listed protections of the three (the storm matrix's cells; none is the storm of 2011). */
export function withProtections(on: readonly Protection[]): RemirrorPolicy {
  const policy = { ...FIXED };
  for (const [name, flag] of Object.entries(PROTECTIONS)) policy[flag] = on.includes(name as Protection);
  return policy;
}
