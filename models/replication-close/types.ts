/**
 * Vocabulary shared by the async node (`node.ts`), its xstate model
 * (`machine.ts`) and the scheduler suite in `properties/replication-close/`.
 */

/**
 * The designs the suite checks, named as `npm run check` lists them. `buggy` is
 * the node of 2011; `fixed` the repaired one; `fixed-without-*` the fix with one
 * of its safeguards taken out; `fixed-*-by-id` weakened fixes whose re-check
 * after an await looks the session up by id again; `fixed-concurrent-copies`
 * this project's first fix, which the checker broke (see `designs.ts`).
 */
export type CloseVariant =
  | 'buggy'
  | 'fixed'
  | 'fixed-without-one-teardown'
  | 'fixed-without-copy-recheck'
  | 'fixed-without-answer-after-teardown'
  | 'fixed-without-open-recheck'
  | 'fixed-copy-recheck-by-id'
  | 'fixed-close-recheck-by-id'
  | 'fixed-concurrent-copies';

/** The decisions of a node design, one per place where a handler resumes after an await. */
export interface NodeDesign {
  /**
   * What a close does when its session is already closing.
   * `tear-down-again`: its own teardown, as if it were the first (2011).
   * `join`: waits for the teardown under way, then answers (the fix).
   * `answer-at-once`: answers `closed` without waiting for the teardown under way.
   * `recheck-id`: every close releases the replica, then closes the channel only if a session of that id is still in the table.
   */
  concurrentClose: 'tear-down-again' | 'join' | 'answer-at-once' | 'recheck-id';
  /**
   * What a copy re-checks after reading its chunk.
   * `nothing` (2011); `own-session`: the session it read for has not begun closing (the fix);
   * `session-id`: a session of that id is in the table and not closing, which a reopened session also passes.
   */
  copyRecheck: 'nothing' | 'own-session' | 'session-id';
  /** Whether an open re-checks the table after its connect, and drops its channel if another open of the session won meanwhile. */
  openRecheck: boolean;
  /** Whether a copy that finds another copy of its session under way answers `busy` instead of reading the same chunk again. */
  oneCopyAtATime: boolean;
}

/** A replication session on this node, named after the replication request that opened it. */
export type SessionId = string;

export type Op = 'open' | 'progress' | 'close';

/** One request to the node: open a replication session, copy its next chunk, or close it. `req` numbers requests in arrival order. */
export interface ReplicationRequest {
  req: number;
  op: Op;
  session: SessionId;
}

/**
 * What a handler answers. `busy`: already open (open), or another copy of the session is under way (progress); `idle`: nothing to copy (not open, or closing);
 * `abandoned`: the session started closing while the chunk was read; `unknown`: no such session.
 */
export type Answer = 'opened' | 'busy' | 'copied' | 'idle' | 'abandoned' | 'closed' | 'unknown';

/** The asynchronous calls a handler awaits. */
export type DepCall = 'connect' | 'readChunk' | 'releaseReplica';

/** A handle on a replication connection, as numbered by the transport. */
export type ChannelId = number;

/**
 * The node's outside world. The async calls are where a handler yields; the
 * transport calls are synchronous (they queue bytes or drop a handle).
 */
export interface ReplicationDeps {
  /** Network: connect to the peer that holds the other copy; resolves to the channel. */
  connect(session: SessionId, req: number): Promise<ChannelId>;
  /** Disk: read the chunk at `offset` of the volume being re-mirrored. */
  readChunk(session: SessionId, offset: number, req: number): Promise<number>;
  /** Control plane: the replication request is finished; `req` is the idempotency token. */
  releaseReplica(session: SessionId, req: number): Promise<void>;
  transport: Transport;
  /** The request's answer goes back to whoever sent it. */
  reply(request: ReplicationRequest, answer: Answer): void;
  /** An error escaped a handler: the process-level handler of an uncaught error, which takes the node down. */
  uncaught(request: ReplicationRequest, error: unknown): void;
}

export interface Transport {
  /** Queues a chunk on the channel. On a closed channel the bytes are dropped without an error. */
  write(channel: ChannelId, chunk: number): void;
  /** Releases the handle. Like `close(2)` on a file descriptor, closing a closed handle throws (EBADF). */
  close(channel: ChannelId): void;
}

/**
 * What the node and its surroundings report, in the order it happened. The
 * node reports arrivals and resumptions (the points where the scheduler chose
 * what runs next); the dependencies report calls, writes, closes, answers and crashes.
 */
export type JournalEntry =
  | { kind: 'received'; req: number; op: Op; session: SessionId }
  | { kind: 'resumed'; req: number; op: Op; session: SessionId; after: DepCall }
  | { kind: 'call'; req: number; call: DepCall; session: SessionId; channel?: ChannelId; offset?: number }
  | { kind: 'write'; channel: ChannelId; session: SessionId; chunk: number; open: boolean }
  | { kind: 'close'; channel: ChannelId; session: SessionId; ok: boolean }
  | { kind: 'answer'; req: number; op: Op; session: SessionId; answer: Answer }
  | { kind: 'crash'; req: number; op: Op; session: SessionId; error: string };

/** One row of the node's session table, for inspection. */
export interface SessionRow {
  session: SessionId;
  channel: ChannelId;
  copied: number;
  closing: boolean;
}
