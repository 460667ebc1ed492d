/**
 * Names and messages of the re-mirroring model. Every message carries its
 * sender in `from`; machines send by emitting `{ type: 'send', to, msg }`.
 *
 * Epochs: the control plane numbers each volume's changes (a grant, a rejoin)
 * from one counter per volume. A replica remembers the epoch of the pairing or
 * the copy it holds, and the messages of a re-mirror carry the epoch they
 * belong to, so a message from an older change can be recognised and ignored.
 */

export const CONTROL_PLANE = 'cp';
/** The environment process that makes a serving replica suspect a peer that is up and reachable. */
export const FLAKY_DETECTOR = 'fd';

/** The client (EC2 instance) of volume `v1` is `c1`. */
export const clientOf = (volume: string): string => `c${volume.replace(/^v/, '')}`;

/**
 * Node → control plane: "my peer for this volume is gone, find me a node with a free slot" (a re-mirror
 * negotiation); `replaced` when the asker is the replica being replaced and has lost the source copying in its place;
 * `peerEmpty` (fixed) when its peer answered a probe that it holds no replica of the volume.
 */
export type RemirrorMsg = { type: 'REMIRROR'; vol: string; peer: string; epoch: number; from: string; replaced?: true; peerEmpty?: true };
/** Node → control plane: "my previous peer answered; put us back together". */
export type ReconnectMsg = { type: 'RECONNECT'; vol: string; peer: string; epoch: number; from: string };
/** New node → control plane: "I hold the copy of this grant". The only confirmation of ownership. */
export type OwnedMsg = { type: 'OWNED'; vol: string; epoch: number; from: string };
/** Node → control plane: a grant arrived that the node no longer wants (it was put back together meanwhile). */
export type CancelMsg = { type: 'CANCEL'; vol: string; epoch: number; from: string };
/** Reclaimed node → control plane: "my disk is erased (reclaim number `wipe`), place new replicas on me". */
export type WipedMsg = { type: 'WIPED'; wipe: number; from: string };

/**
 * Node → control plane, the answers to INVENTORY: "I hold no replica of this volume" (its disk was lost) or
 * "I hold one", as of the volume's change `asked` the question named.
 */
export type EmptyMsg = { type: 'EMPTY'; vol: string; asked: number; from: string };
export type HeldMsg = { type: 'HELD'; vol: string; asked: number; from: string };

export type ToControlPlane = RemirrorMsg | ReconnectMsg | OwnedMsg | CancelMsg | WipedMsg | EmptyMsg | HeldMsg;

/** Control plane → node. */
export type ToNode =
  | { type: 'GRANT'; vol: string; target: string; epoch: number; from: string }
  | { type: 'NO_SPACE'; vol: string; from: string }
  /** You are the replica being replaced by the grant of `epoch`; hold your copy until released. */
  | { type: 'REPLACED'; vol: string; epoch: number; from: string }
  /** Free your copy of `vol` if it belongs to epoch `upTo` or earlier: the volume's members hold the data. */
  | { type: 'RELEASE'; vol: string; upTo: number; from: string }
  /** You and `peer` are the volume's replicas as of `epoch` (a rejoin or a completed re-mirror). */
  | { type: 'PAIRED'; vol: string; peer: string; epoch: number; from: string }
  /** Your capacity is reclaimed (reclaim number `wipe`): erase every replica you hold. */
  | { type: 'WIPE'; wipe: number; from: string }
  /** Do you still hold a replica of `vol`? Asked of the replica being replaced when no space is left; `asked`: the volume's last change. */
  | { type: 'INVENTORY'; vol: string; asked: number; from: string };

/** Node → node: the volume's data, streamed to the new replica under the grant of `epoch`. */
export type CopyMsg = { type: 'COPY'; vol: string; version: number; epoch: number; from: string };
/** Node → node: "do you still hold our replica of `epoch`?" and its answer. */
export type PingMsg = { type: 'PING'; vol: string; epoch: number; from: string };
export type PongMsg = { type: 'PONG'; vol: string; epoch: number; from: string };
/** Node → node: the answer to a PING from a node that holds no replica of the volume (its disk was lost or erased). */
export type NotHeldMsg = { type: 'NOT_HELD'; vol: string; from: string };

/** The write path: client → replica → its peer → client. */
export type WriteMsg = { type: 'WRITE'; vol: string; from: string };
/** `epoch`: the pairing the sender serves in; the peer takes the write only in the same pairing (fixed). */
export type ReplicateMsg = { type: 'REPLICATE'; vol: string; version: number; epoch: number; from: string };
export type AckMsg = { type: 'ACK'; vol: string; from: string };
/** The read path: client → every node; a node whose replica serves answers with the version it holds. */
export type ReadMsg = { type: 'READ'; vol: string; from: string };
export type ReadResultMsg = { type: 'READ_RESULT'; vol: string; version: number; from: string };
/** Replica → its peer: "are we still a pair? then answer `client`'s read". */
export type ReadCheckMsg = { type: 'READ_CHECK'; vol: string; client: string; from: string };

/** The flaky failure detector's verdict, delivered to the node it misleads. */
export type SuspectMsg = { type: 'SUSPECT'; vol: string; from: string };

export type Emitted = { type: 'send'; to: string | string[]; msg: { type: string; from: string; [field: string]: unknown } };

export const send = (to: string | string[], msg: Emitted['msg']): Emitted => ({ type: 'send', to, msg });
