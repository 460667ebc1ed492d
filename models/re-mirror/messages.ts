/**
 * Names and messages of the re-mirroring model. Every message carries its
 * sender in `from`; machines send by emitting `{ type: 'send', to, msg }`.
 */

export const CONTROL_PLANE = 'cp';

/** The client (EC2 instance) of volume `v1` is `c1`. */
export const clientOf = (volume: string): string => `c${volume.replace(/^v/, '')}`;

/** Node → control plane: "my peer for this volume is gone, find me a node with a free slot" (a re-mirror negotiation). */
export type RemirrorMsg = { type: 'REMIRROR'; vol: string; peer: string; from: string };
/** Node → control plane (fixed only): "my previous peer is reachable again, put us back together". */
export type ReconnectMsg = { type: 'RECONNECT'; vol: string; peer: string; from: string };
/** New node → control plane: "I hold the copy; I own this replica now". */
export type OwnedMsg = { type: 'OWNED'; vol: string; from: string };
/** Node → control plane: a grant arrived that the node no longer wants (it was put back together meanwhile). */
export type CancelMsg = { type: 'CANCEL'; vol: string; from: string };
/** Reclaimed node → control plane: "my disk is empty, place new replicas on me". */
export type WipedMsg = { type: 'WIPED'; from: string };

export type ToControlPlane = RemirrorMsg | ReconnectMsg | OwnedMsg | CancelMsg | WipedMsg;

/** Control plane → node. */
export type ToNode =
  | { type: 'GRANT'; vol: string; target: string; from: string }
  | { type: 'NO_SPACE'; vol: string; from: string }
  /** You are the replica being replaced; the new node has not confirmed yet. */
  | { type: 'REPLACED'; vol: string; from: string }
  /** The new owner has confirmed: free your copy. */
  | { type: 'RELEASE'; vol: string; from: string }
  /** You and `peer` are the volume's replicas, paired again. */
  | { type: 'REJOIN'; vol: string; peer: string; from: string }
  /** Your re-mirror is complete: this is your new peer. */
  | { type: 'DONE'; vol: string; peer: string; from: string }
  /** Your capacity is reclaimed: erase every replica you hold. */
  | { type: 'WIPE'; from: string };

/** Node → node: the volume's data, streamed to the new replica. */
export type CopyMsg = { type: 'COPY'; vol: string; version: number; from: string };

/** The write path: client → primary → secondary → client. */
export type WriteMsg = { type: 'WRITE'; vol: string; from: string };
export type ReplicateMsg = { type: 'REPLICATE'; vol: string; version: number; from: string };
export type AckMsg = { type: 'ACK'; vol: string; from: string };

export type Emitted = { type: 'send'; to: string | string[]; msg: { type: string; from: string; [field: string]: unknown } };

/** Message types that belong to a volume's re-mirror (not its I/O): what a node's retry timer waits on. */
export const REMIRROR_TRAFFIC: ReadonlySet<string> = new Set(['REMIRROR', 'RECONNECT', 'GRANT', 'NO_SPACE', 'REPLACED', 'RELEASE', 'REJOIN', 'DONE', 'COPY', 'OWNED', 'CANCEL']);
